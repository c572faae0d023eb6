package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.testsupport.H2cClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application with {@code server.http2.enabled=true}, over h2c by prior knowledge: JSON, a body echoed
 * through DataBuffers, a large streamed response, a file (read in buffers: HTTP/2 has no sendfile), and many streams
 * at once.
 */
@SpringBootTest(classes = ReactiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.http2.enabled=true" })
class Http2ReactiveApplicationTest {

	@LocalServerPort
	int port;

	private H2cClient client;

	@BeforeEach
	void connect() throws InterruptedException {
		this.client = new H2cClient(this.port);
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@Test
	void jsonOverH2c() throws Exception {
		H2cClient.Response response = this.client.get("/hello").get(10, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).contains("\"message\":\"hello\"").contains("\"scheme\":\"http\"");
	}

	@Test
	void largeBodyEchoed() throws Exception {
		// Under WebFlux's 256 KiB in-memory limit for a byte[] body, and several stream windows long.
		byte[] body = new byte[200 * 1024];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) (i % 251);
		}
		H2cClient.Response response = this.client
			.send("POST", "/echo", Map.of("content-type", "application/octet-stream"), body, true)
			.response()
			.get(60, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(body);
	}

	@Test
	void largeStreamedResponse() throws Exception {
		H2cClient.Response response = this.client.get("/large?count=1000&size=8192").get(60, TimeUnit.SECONDS);
		assertThat(response.body()).hasSize(1000 * 8192);
	}

	@Test
	void fileResponse() throws Exception {
		H2cClient.Response response = this.client.get("/file").get(30, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(java.nio.file.Files.readAllBytes(ReactiveTestApplication.testFile()));
	}

	@Test
	void fiftyStreamsAtOnce() throws Exception {
		List<CompletableFuture<H2cClient.Response>> responses = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			responses.add(this.client.get("/text?size=" + (i + 1)));
		}
		for (int i = 0; i < 50; i++) {
			assertThat(responses.get(i).get(30, TimeUnit.SECONDS).text()).isEqualTo("a".repeat(i + 1));
		}
	}

	@Test
	void sseStreamsEventByEventAndAResetCancelsTheHandler() throws Exception {
		ReactiveTestApplication.Probe.reset();
		// The JDK client upgrades from HTTP/1.1 (Upgrade: h2c); the request becomes stream 1 of an HTTP/2 connection.
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		HttpResponse<Stream<String>> response = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/ticks"))
					.timeout(Duration.ofSeconds(20))
					.build(),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (Stream<String> lines = response.body()) {
			// A stream that never ends: each event arrives as it is emitted.
			Iterator<String> events = lines.filter((line) -> line.startsWith("data:")).iterator();
			assertThat(events.next()).isEqualTo("data:0");
			assertThat(events.next()).isEqualTo("data:1");
			assertThat(events.next()).isEqualTo("data:2");
			assertThat(ReactiveTestApplication.Probe.cancelled.getCount()).isEqualTo(1);
		}
		// Closing the body makes the client reset the stream (RST_STREAM(CANCEL)), which cancels the Flux.
		assertThat(ReactiveTestApplication.Probe.cancelled.await(10, TimeUnit.SECONDS)).isTrue();
	}

}
