package io.hybridserver.autoconfigure;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.RawH2Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP/2 stream meters over h2c: streams opened and active, a client's RST_STREAM(CANCEL) and a reset the server
 * sends for a malformed request, each counted once under its side and error code.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.http2.enabled=true", "server.hybrid.http2.initial-window-size=16384" })
class Http2StreamMetersTest {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	private double meter(String name, String... tags) {
		var search = this.registry.find("hybrid.server.http2.streams." + name).tags(tags);
		return name.equals("active") ? search.gauge().value() : search.functionCounter().count();
	}

	private static void await(Supplier<Boolean> condition) throws InterruptedException {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.get() && System.nanoTime() < until) {
			Thread.sleep(10);
		}
		assertThat(condition.get()).isTrue();
	}

	private double counter(String name, String... tags) {
		return this.registry.find(name).tags(tags).functionCounter().count();
	}

	@Test
	void requestsAreTaggedH2cAndGoAwaysAreCountedBySide() throws Exception {
		double h2c = counter("hybrid.server.requests", "protocol", "h2c", "outcome", "SUCCESS");
		double clientGoAways = counter("hybrid.server.http2.goaway", "side", "client", "error", "no-error");
		double serverGoAways = counter("hybrid.server.http2.goaway", "side", "server", "error", "protocol-error");
		try (H2cClient client = new H2cClient(this.port)) {
			assertThat(client.get("/hello?name=x").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		// The request counts as h2c; closing, the client sent GOAWAY(NO_ERROR).
		await(() -> counter("hybrid.server.requests", "protocol", "h2c", "outcome", "SUCCESS") == h2c + 1);
		await(() -> counter("hybrid.server.http2.goaway", "side", "client", "error", "no-error") == clientGoAways + 1);
		assertThat(this.registry.find("hybrid.server.requests").tags("protocol", "HTTP/2.0").meters()).isEmpty();
		// DATA on stream 0 is a connection error (RFC 9113 6.1): the server's GOAWAY(PROTOCOL_ERROR), counted once.
		try (RawH2Connection raw = new RawH2Connection(this.port)) {
			raw.frame(RawH2Connection.DATA, 0, 0, new byte[] { 1 });
			assertThat(raw.awaitClosed(10, TimeUnit.SECONDS)).isTrue();
			assertThat(raw.goAwayError()).isEqualTo(1);
		}
		await(() -> counter("hybrid.server.http2.goaway", "side", "server", "error",
				"protocol-error") == serverGoAways + 1);
	}

	@Test
	void streamsAreCountedOpenedActiveAndResetBySide() throws Exception {
		double opened = meter("opened");
		double cancelled = meter("reset", "side", "client", "error", "cancel");
		double malformed = meter("reset", "side", "server", "error", "protocol-error");
		try (H2cClient client = new H2cClient(this.port)) {
			for (int i = 0; i < 3; i++) {
				assertThat(client.get("/hello?name=" + i).get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			}
			assertThat(meter("opened")).isEqualTo(opened + 3);
			await(() -> meter("active") == 0);
			// A download the client does not read stays open, held by its window...
			H2cClient.Stream stalled = client.send("GET", "/download?size=10000000", Map.of(), null, false);
			await(() -> meter("active") == 1);
			// ...until the client cancels it.
			stalled.channel().close().sync();
			await(() -> meter("reset", "side", "client", "error", "cancel") == cancelled + 1);
			await(() -> meter("active") == 0);
			// A content-length that is not a number makes the request malformed: the server resets the stream.
			H2cClient.Stream bad = client.send("POST", "/count", Map.of("content-length", "many"), new byte[] { 1 },
					true);
			assertThat(bad.response()).failsWithin(10, TimeUnit.SECONDS);
			await(() -> meter("reset", "side", "server", "error", "protocol-error") == malformed + 1);
			assertThat(meter("opened")).isEqualTo(opened + 5);
			await(() -> meter("active") == 0);
			assertThat(client.isOpen()).isTrue();
		}
	}

}
