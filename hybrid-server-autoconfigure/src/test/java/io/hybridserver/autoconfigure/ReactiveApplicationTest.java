package io.hybridserver.autoconfigure;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.apps.reactive.ReactiveTestApplication.Probe;
import io.hybridserver.boot.HybridWebServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebFlux application on the hybrid server, through {@code WebTestClient} and raw sockets bound to the real port:
 * JSON, errors through WebFlux's handling, SSE flushed per event, multipart, backpressure both ways and cancellation on
 * disconnect. Runs once per dispatch mode (see the subclasses).
 */
@SpringBootTest(classes = ReactiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
abstract class ReactiveApplicationTest {

	@LocalServerPort
	int port;

	/** Bound to the real port, over the JDK's HTTP client: Netty's leak detector then watches the server alone. */
	WebTestClient client;

	@Autowired
	ApplicationContext context;

	/** The thread-name prefix the handler is expected to run on. */
	abstract String handlerThreadPrefix();

	@BeforeEach
	void bindClientAndResetProbe() {
		this.client = WebTestClient.bindToServer(new JdkClientHttpConnector())
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		Probe.reset();
	}

	@Test
	void theHybridServerServesTheApplicationAlthoughReactorNettyIsOnTheClasspath() {
		assertThat(((WebServerApplicationContext) this.context).getWebServer()).isInstanceOf(HybridWebServer.class);
	}

	@Test
	void jsonFromAMono() {
		this.client.get()
			.uri("/hello")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo("hello")
			.jsonPath("$.scheme")
			.isEqualTo("http")
			.jsonPath("$.thread")
			.value((String thread) -> assertThat(thread).startsWith(handlerThreadPrefix()));
	}

	@Test
	void requestBodyIsEchoed() {
		byte[] body = "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
		byte[] echoed = this.client.post()
			.uri("/echo")
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(byte[].class)
			.returnResult()
			.getResponseBody();
		assertThat(echoed).isEqualTo(body);
	}

	@Test
	void errorsGoThroughWebFluxErrorHandling() {
		this.client.get().uri("/boom").exchange().expectStatus().isEqualTo(500).expectBody().jsonPath("$.status")
			.isEqualTo(500);
		this.client.get().uri("/nowhere").exchange().expectStatus().isNotFound().expectBody().jsonPath("$.path")
			.isEqualTo("/nowhere");
	}

	@Test
	void headAnswersWithTheLengthAndNoBody() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write("HEAD /text?size=1234 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(response).startsWith("HTTP/1.1 200").contains("content-length: 1234");
			assertThat(response).endsWith("\r\n\r\n");
		}
	}

	@Test
	void serverSentEventsAreFlushedOneByOne() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<InputStream> response = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/sse")).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (InputStream in = response.body()) {
			StringBuilder seen = new StringBuilder();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!seen.toString().contains("data:first\n\n") && System.nanoTime() < deadline) {
				int b = in.read();
				if (b < 0) {
					break;
				}
				seen.append((char) b);
			}
			// The second event is 30 s away: the first can only be here because it was flushed on its own.
			assertThat(seen.toString()).contains("id:1\n").contains("data:first\n\n");
		}
	}

	@Test
	void ndjsonStreams() {
		String body = this.client.get()
			.uri("/ndjson")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(body).isEqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
	}

	@Test
	void multipartIsReadByWebFlux() {
		MultipartBodyBuilder parts = new MultipartBodyBuilder();
		parts.part("name", "hybrid");
		parts.part("file", new ByteArrayResource(new byte[300_000]) {

			@Override
			public String getFilename() {
				return "zeros.bin";
			}

		});
		this.client.post()
			.uri("/upload")
			.contentType(MediaType.MULTIPART_FORM_DATA)
			.body(BodyInserters.fromMultipartData(parts.build()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("file=300000,name=6");
	}

	@Test
	void aSlowReaderHoldsTheProducerBack() throws Exception {
		int count = 4096;
		int size = 16 * 1024;
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setReceiveBufferSize(64 * 1024);
			socket.setSoTimeout(20_000);
			socket.getOutputStream()
				.write(("GET /large?count=" + count + "&size=" + size
						+ " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			in.read(new byte[1024]);
			// The client stops reading. The producer must stop too: 64 MiB would otherwise be produced at once.
			Thread.sleep(1500);
			long emittedWhileStalled = Probe.emitted.get();
			assertThat(emittedWhileStalled * size).as("bytes produced for a stalled client")
				.isLessThan(16L * 1024 * 1024);
			assertThat(Probe.maxOutstanding.get()).as("most demand outstanding").isLessThanOrEqualTo(2);
			// Then it reads everything, to the end of the chunked body, after which the server closes.
			long total = 0;
			byte[] buffer = new byte[64 * 1024];
			int n;
			while ((n = in.read(buffer)) > 0) {
				total += n;
			}
			assertThat(total).isGreaterThan((long) count * size);
			assertThat(Probe.emitted.get()).isEqualTo(count);
			assertThat(Probe.maxOutstanding.get()).isLessThanOrEqualTo(2);
		}
	}

	@Test
	void aSlowConsumerReadsTheUploadOnlyAsFastAsItConsumes() throws Exception {
		long total = 64L * 1024 * 1024;
		AtomicLong sent = new AtomicLong();
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSendBufferSize(64 * 1024);
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /slow-upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
					+ "Content-Length: " + total + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			Thread writer = new Thread(() -> {
				byte[] chunk = new byte[64 * 1024];
				try {
					while (sent.get() < total) {
						out.write(chunk);
						sent.addAndGet(chunk.length);
					}
				}
				catch (Exception ex) {
					// The socket closes when the test ends.
				}
			});
			writer.setDaemon(true);
			writer.start();
			Thread.sleep(2000);
			long consumed = Probe.consumed.get();
			long inFlight = sent.get() - consumed;
			// Unbounded reading would take all 64 MiB in well under 2 s; the handler consumed about 100 buffers.
			assertThat(consumed).isLessThan(16L * 1024 * 1024);
			assertThat(inFlight).as("bytes sent but not yet consumed").isLessThan(24L * 1024 * 1024);
			assertThat(sent.get()).isLessThan(total);
		}
	}

	@Test
	void aClientThatLeavesCancelsTheHandler() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write("GET /ticks HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			byte[] head = new byte[256];
			assertThat(socket.getInputStream().read(head)).isPositive();
		}
		assertThat(Probe.cancelled.await(10, TimeUnit.SECONDS)).as("the handler's Flux was cancelled").isTrue();
	}

	@Test
	void keepAliveCarriesManyRequests() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			for (int i = 0; i < 20; i++) {
				out.write("GET /text?size=10 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				String response = readResponse(in, 10);
				assertThat(response).startsWith("HTTP/1.1 200").endsWith("aaaaaaaaaa").doesNotContain("close");
			}
		}
	}

	private static String readResponse(InputStream in, int bodyLength) throws Exception {
		StringBuilder text = new StringBuilder();
		while (!text.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).isNotNegative();
			text.append((char) b);
		}
		for (int i = 0; i < bodyLength; i++) {
			text.append((char) in.read());
		}
		return text.toString();
	}

	static void awaitUntil(Runnable assertion) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(assertion::run);
	}

}
