package io.hybridserver.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.async.AsyncTestApplication;
import io.hybridserver.apps.async.AsyncTestApplication.Gates;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.RawH2Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown over HTTP/2 with many streams in flight: each connection gets {@code GOAWAY(NO_ERROR)} naming the
 * last stream it opened, every stream in flight is still answered, then the connection closes; a stream the client
 * opens after the GOAWAY never reaches the application (RFC 9113 6.8). The streams wait on {@code DeferredResult}s
 * that the test sets, so that nothing depends on timing.
 */
class Http2GracefulShutdownTest {

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(AsyncTestApplication.class)
			.properties("server.port=0", "server.http2.enabled=true", "server.shutdown=graceful")
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	@Test
	void everyStreamInFlightOnEveryConnectionIsAnsweredAfterGoawayThenTheConnectionsClose() throws Exception {
		ConfigurableApplicationContext context = start();
		Gates gates = context.getBean(Gates.class);
		try (H2cClient first = new H2cClient(port(context)); H2cClient second = new H2cClient(port(context))) {
			List<H2cClient.Stream> onFirst = open(first, "first", 4);
			List<H2cClient.Stream> onSecond = open(second, "second", 3);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> keys("first", 4).stream().allMatch(gates::hasDeferred)
						&& keys("second", 3).stream().allMatch(gates::hasDeferred));
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(20)).until(() -> first.goAway() != null && second.goAway() != null);
			assertGoAwayNamesTheLastStream(first.goAway(), onFirst);
			assertGoAwayNamesTheLastStream(second.goAway(), onSecond);
			// The server waits for the application: nothing has been answered, shutdown has not ended.
			assertThat(onFirst).allSatisfy((stream) -> assertThat(stream.response()).isNotDone());
			assertThat(onSecond).allSatisfy((stream) -> assertThat(stream.response()).isNotDone());
			assertThat(closing).isNotDone();
			assertThat(first.isOpen()).isTrue();
			assertThat(second.isOpen()).isTrue();
			// Answered in an order other than the one they were opened in: each stream stands alone.
			for (int i = 3; i >= 0; i--) {
				gates.resolve("first-" + i, "first answer " + i);
			}
			for (int i = 0; i < 3; i++) {
				gates.resolve("second-" + i, "second answer " + i);
			}
			assertAnswered(onFirst, "first answer ");
			assertAnswered(onSecond, "second answer ");
			await().atMost(Duration.ofSeconds(20)).until(() -> !first.isOpen() && !second.isOpen());
			closing.get(30, TimeUnit.SECONDS);
		}
		finally {
			context.close();
		}
	}

	@Test
	void aStreamOpenedAfterTheGoawayNeverReachesTheApplication() throws Exception {
		ConfigurableApplicationContext context = start();
		Gates gates = context.getBean(Gates.class);
		try (RawH2Connection client = new RawH2Connection(port(context))) {
			client.write(RawH2Connection.encode(RawH2Connection.HEADERS,
					RawH2Connection.END_HEADERS | RawH2Connection.END_STREAM, 1,
					RawH2Connection.hpackGet("/deferred?key=raw-1")));
			client.write(RawH2Connection.encode(RawH2Connection.HEADERS,
					RawH2Connection.END_HEADERS | RawH2Connection.END_STREAM, 3,
					RawH2Connection.hpackGet("/deferred?key=raw-3")));
			await().atMost(Duration.ofSeconds(20)).until(() -> gates.hasDeferred("raw-1") && gates.hasDeferred("raw-3"));
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(20)).until(() -> client.goAwayError() >= 0);
			assertThat(client.goAwayError()).isEqualTo((int) Http2Error.NO_ERROR.code());
			assertThat(client.goAwayLastStreamId()).isEqualTo(3);
			// A client that had not yet seen the GOAWAY opens stream 5; the PING's answer shows the server read it.
			client.write(RawH2Connection.encode(RawH2Connection.HEADERS,
					RawH2Connection.END_HEADERS | RawH2Connection.END_STREAM, 5,
					RawH2Connection.hpackGet("/deferred?key=raw-5")));
			int acks = client.pingAcks.get();
			client.frame(RawH2Connection.PING, 0, 0, new byte[8]);
			await().atMost(Duration.ofSeconds(20)).until(() -> client.pingAcks.get() > acks);
			gates.resolve("raw-1", "one");
			gates.resolve("raw-3", "three");
			assertThat(client.awaitClosed(20, TimeUnit.SECONDS)).as("closed once streams 1 and 3 were answered")
				.isTrue();
			assertThat(client.headers).containsExactlyInAnyOrder(1, 3);
			assertThat(gates.hasDeferred("raw-5")).as("stream 5 reached the application").isFalse();
			closing.get(30, TimeUnit.SECONDS);
		}
		finally {
			context.close();
		}
	}

	private static List<String> keys(String connection, int count) {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			keys.add(connection + "-" + i);
		}
		return keys;
	}

	private static List<H2cClient.Stream> open(H2cClient client, String connection, int count) {
		List<H2cClient.Stream> streams = new ArrayList<>();
		for (String key : keys(connection, count)) {
			streams.add(client.send("GET", "/deferred?key=" + key, Map.of(), null, true));
		}
		return streams;
	}

	private static void assertGoAwayNamesTheLastStream(Http2GoAwayFrame goAway, List<H2cClient.Stream> streams) {
		int last = streams.stream().mapToInt((stream) -> stream.channel().stream().id()).max().getAsInt();
		assertThat(goAway.errorCode()).isEqualTo(Http2Error.NO_ERROR.code());
		assertThat(goAway.lastStreamId()).isEqualTo(last);
	}

	private static void assertAnswered(List<H2cClient.Stream> streams, String prefix) throws Exception {
		for (int i = 0; i < streams.size(); i++) {
			H2cClient.Response response = streams.get(i).response().get(20, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo(prefix + i);
		}
	}

}
