package io.hybridserver.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebFlux application with the server features a servlet application has: TLS from {@code server.ssl.*},
 * {@code server.compression.*}, graceful shutdown, and file responses (sendfile on plaintext, buffers over TLS), in
 * both dispatch modes.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveServerFeaturesTest {

	private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(ReactiveTestApplication.class)
			.properties("server.port=0", "spring.main.web-application-type=reactive")
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private HttpResponse<byte[]> get(int port, String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.plain.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	void tlsFromServerSslPropertiesInBothDispatchModes() throws Exception {
		for (String mode : new String[] { "workers", "event-loop" }) {
			try (var context = start("server.hybrid.reactive.dispatch=" + mode,
					"server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret")) {
				HttpClient client = TestTls.httpClient(TestTls.clientContext(null));
				HttpResponse<String> hello = TestTls.get(client, port(context), "/hello");
				assertThat(hello.statusCode()).isEqualTo(200);
				assertThat(hello.body()).contains("\"scheme\":\"https\"");
				HttpResponse<byte[]> file = client.send(
						HttpRequest.newBuilder(URI.create("https://localhost:" + port(context) + "/file")).build(),
						HttpResponse.BodyHandlers.ofByteArray());
				assertThat(file.statusCode()).isEqualTo(200);
				assertThat(file.body()).isEqualTo(Files.readAllBytes(ReactiveTestApplication.testFile()));
			}
		}
	}

	@Test
	void filesGoOutWhole() throws Exception {
		for (String mode : new String[] { "workers", "event-loop" }) {
			try (var context = start("server.hybrid.reactive.dispatch=" + mode)) {
				HttpResponse<byte[]> file = get(port(context), "/file");
				assertThat(file.statusCode()).isEqualTo(200);
				assertThat(file.headers().firstValueAsLong("Content-Length")).hasValue(1024 * 1024);
				assertThat(file.body()).isEqualTo(Files.readAllBytes(ReactiveTestApplication.testFile()));
				HttpResponse<byte[]> range = get(port(context), "/file", "Range", "bytes=26-51");
				assertThat(range.statusCode()).isEqualTo(206);
				assertThat(new String(range.body(), StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmnopqrstuvwxyz");
			}
		}
	}

	@Test
	void compressionAsOnTheServletSide() throws Exception {
		for (String mode : new String[] { "workers", "event-loop" }) {
			try (var context = start("server.hybrid.reactive.dispatch=" + mode, "server.compression.enabled=true",
					"server.compression.min-response-size=1KB", "server.compression.mime-types=text/plain")) {
				HttpResponse<byte[]> compressed = get(port(context), "/text?size=20000", "Accept-Encoding", "gzip");
				assertThat(compressed.headers().firstValue("Content-Encoding")).hasValue("gzip");
				assertThat(compressed.body().length).isLessThan(1000);
				try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed.body()))) {
					assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("a".repeat(20000));
				}
				HttpResponse<byte[]> small = get(port(context), "/text?size=100", "Accept-Encoding", "gzip");
				assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
				assertThat(small.body()).hasSize(100);
			}
		}
	}

	@Test
	void theServersMetersAreInTheApplicationsRegistry() throws Exception {
		for (String mode : new String[] { "workers", "event-loop" }) {
			try (var context = start("server.hybrid.reactive.dispatch=" + mode)) {
				assertThat(get(port(context), "/hello").statusCode()).isEqualTo(200);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(registry.find("hybrid.server.requests")
						.tag("protocol", "HTTP/1.1")
						.tag("outcome", "SUCCESS")
						.functionCounter()
						.count()).isGreaterThanOrEqualTo(1));
				assertThat(registry.find("hybrid.server.queue.depth").tag("queue", "request").gauge()).isNotNull();
				assertThat(registry.find("hybrid.server.workers.max").gauge().value())
					.isEqualTo("workers".equals(mode) ? 200 : 0);
			}
		}
	}

	@Test
	void aNonDaemonThreadKeepsTheJvmAliveWhileHandlersRunOnTheLoops() {
		ConfigurableApplicationContext context = start("server.hybrid.reactive.dispatch=event-loop");
		String name = "hybrid-server-await-" + port(context);
		try {
			assertThat(Thread.getAllStackTraces().keySet()).anySatisfy((thread) -> {
				assertThat(thread.getName()).isEqualTo(name);
				assertThat(thread.isDaemon()).isFalse();
			});
		}
		finally {
			context.close();
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
			.noneSatisfy((thread) -> assertThat(thread.getName()).isEqualTo(name)));
	}

	@Test
	void aClientLeavingMidBodyIsNotLoggedAsAServerError(CapturedOutput output) throws Exception {
		try (var context = start()) {
			try (Socket socket = new Socket("127.0.0.1", port(context))) {
				socket.getOutputStream()
					.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nab"
						.getBytes(StandardCharsets.US_ASCII));
				Thread.sleep(300);
			}
			Thread.sleep(1000);
			assertThat(output.getOut() + output.getErr()).doesNotContain("The client closed its side")
				.doesNotContain("The connection closed before the request body ended");
		}
	}

	@Test
	void aClientThatStallsMidBodyGets408() throws Exception {
		for (String mode : new String[] { "workers", "event-loop" }) {
			try (var context = start("server.hybrid.reactive.dispatch=" + mode,
					"server.hybrid.connection-timeout=1s");
					Socket socket = new Socket("127.0.0.1", port(context))) {
				socket.setSoTimeout(10_000);
				long start = System.nanoTime();
				socket.getOutputStream()
					.write(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n"
							+ "only ten!!").getBytes(StandardCharsets.US_ASCII));
				String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
				assertThat(response).startsWith("HTTP/1.1 408");
				assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 8000L);
			}
		}
	}

	@Test
	void anAnswerGivenWithoutReadingASlowBodyLeavesAtOnceWithConnectionClose() throws Exception {
		// POST to a GET-only route: WebFlux answers 405 without touching the body, which the client goes on trickling.
		try (var context = start("server.hybrid.request-body-buffer-size=16384", "server.hybrid.min-request-body-rate=0",
				"server.hybrid.connection-timeout=60s");
				RawHttpConnection connection = new RawHttpConnection(port(context), 15_000)) {
			connection.send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n");
			connection.send(new byte[20 * 1024]);
			AtomicBoolean answered = new AtomicBoolean();
			Thread trickle = new Thread(() -> {
				try {
					while (!answered.get()) {
						connection.output().write('x');
						connection.output().flush();
						Thread.sleep(20);
					}
				}
				catch (IOException | InterruptedException ex) {
					// The server closed after lingering.
				}
			});
			trickle.setDaemon(true);
			trickle.start();
			RawHttpConnection.Response response = connection.readResponse();
			answered.set(true);
			assertThat(response.status()).isEqualTo(405);
			assertThat(response.header("connection")).isEqualTo("close");
			trickle.join(10_000);
		}
	}

	@Test
	void aBodyBelowTheMinimumRateGets408WhileTheHandlerReadsIt() throws Exception {
		// Past the body gate at once, so the handler is reading when the rate falls below the minimum.
		try (var context = start("server.hybrid.request-body-buffer-size=16384",
				"server.hybrid.min-request-body-rate=20000", "server.hybrid.min-request-body-rate-grace=1s");
				Socket socket = new Socket("127.0.0.1", port(context))) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			out.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			out.write(new byte[20 * 1024]);
			AtomicBoolean answered = new AtomicBoolean();
			Thread trickle = new Thread(() -> {
				try {
					while (!answered.get()) {
						out.write('x');
						out.flush();
						Thread.sleep(100);
					}
				}
				catch (IOException | InterruptedException ex) {
					// The server closed after its answer.
				}
			});
			trickle.setDaemon(true);
			trickle.start();
			byte[] statusLine = socket.getInputStream().readNBytes(12);
			answered.set(true);
			assertThat(new String(statusLine, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 408");
			trickle.join(10_000);
		}
	}

	@Test
	void gracefulShutdownWaitsForAnInFlightReactiveRequest() throws Exception {
		for (String mode : new String[] { "workers", "event-loop" }) {
			ConfigurableApplicationContext context = start("server.hybrid.reactive.dispatch=" + mode,
					"server.shutdown=graceful");
			int port = port(context);
			CompletableFuture<HttpResponse<String>> inFlight = this.plain.sendAsync(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow?millis=1500")).build(),
					HttpResponse.BodyHandlers.ofString());
			Thread.sleep(300);
			long start = System.nanoTime();
			context.close();
			long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("slept 1500");
			assertThat(closeMillis).isGreaterThanOrEqualTo(1000);
		}
	}

}
