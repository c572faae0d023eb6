package io.hybridserver.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.compression.CompressionTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.compression.*}: gzip chosen by Accept-Encoding, only for the listed media types, from the minimum
 * size, never for excluded user agents; a compressed event stream still delivers each event when it is sent. Also
 * {@code server.server-header}.
 */
@SpringBootTest(classes = CompressionTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.compression.enabled=true", "server.compression.min-response-size=1KB",
				"server.compression.mime-types=text/plain,text/event-stream",
				"server.compression.excluded-user-agents=.*OldBrowser.*", "server.server-header=HybridTest/1.0" })
class CompressionApplicationTest {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<byte[]> get(String path, String acceptEncoding, String userAgent) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
		if (acceptEncoding != null) {
			request.header("Accept-Encoding", acceptEncoding);
		}
		if (userAgent != null) {
			request.header("User-Agent", userAgent);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static String gunzip(byte[] body) throws Exception {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	@Test
	void aLargeTextResponseIsGzippedForAClientThatAcceptsIt() throws Exception {
		HttpResponse<byte[]> response = get("/text?size=20000", "gzip, deflate", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(response.headers().allValues("Vary")).contains("Accept-Encoding");
		assertThat(response.body().length).isLessThan(1000);
		assertThat(gunzip(response.body())).isEqualTo("a".repeat(20000));
		assertThat(response.headers().firstValue("Server")).hasValue("HybridTest/1.0");
	}

	@Test
	void noCompressionWithoutAcceptEncodingOrWithQualityZero() throws Exception {
		assertThat(get("/text?size=20000", null, null).headers().firstValue("Content-Encoding")).isEmpty();
		HttpResponse<byte[]> refused = get("/text?size=20000", "gzip;q=0, identity", null);
		assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(refused.body()).hasSize(20000);
	}

	@Test
	void smallResponsesOtherTypesAndEncodedBodiesAreLeftAlone() throws Exception {
		HttpResponse<byte[]> small = get("/text?size=100", "gzip", null);
		assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(small.body()).hasSize(100);
		HttpResponse<byte[]> binary = get("/binary?size=20000", "gzip", null);
		assertThat(binary.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(binary.body()).hasSize(20000);
		HttpResponse<byte[]> encoded = get("/already-encoded", "gzip", null);
		assertThat(encoded.headers().firstValue("Content-Encoding")).hasValue("br");
		assertThat(encoded.body()).hasSize(4096);
	}

	@Test
	void anUncompressedResponseStillSaysItVariesByAcceptEncoding() throws Exception {
		// Else a shared cache could hand this identity body to a client that asked for gzip, or the reverse.
		assertThat(get("/text?size=20000", null, null).headers().allValues("Vary")).contains("Accept-Encoding");
		assertThat(get("/text?size=20000", "gzip", "Mozilla/4.0 OldBrowser/1").headers().allValues("Vary"))
			.contains("Accept-Encoding");
		assertThat(get("/binary?size=20000", null, null).headers().allValues("Vary")).doesNotContain("Accept-Encoding");
	}

	@Test
	void headSaysWhatGetSends() throws Exception {
		HttpResponse<byte[]> head = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/text?size=20000"))
					.timeout(Duration.ofSeconds(20))
					.header("Accept-Encoding", "gzip")
					.method("HEAD", HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofByteArray());
		HttpResponse<byte[]> get = get("/text?size=20000", "gzip", null);
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Content-Encoding")).hasValue("gzip")
			.isEqualTo(get.headers().firstValue("Content-Encoding"));
		assertThat(head.headers().allValues("Vary")).contains("Accept-Encoding");
		assertThat(head.headers().firstValue("Content-Length")).isEqualTo(get.headers().firstValue("Content-Length"));
		assertThat(head.body()).isEmpty();
	}

	@Test
	void excludedUserAgentsGetNoCompression() throws Exception {
		HttpResponse<byte[]> response = get("/text?size=20000", "gzip", "Mozilla/4.0 OldBrowser/1");
		assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
		assertThat(response.body()).hasSize(20000);
	}

	@Test
	void aCompressedEventStreamStillDeliversEachEventWhenSent() throws Exception {
		HttpResponse<InputStream> response = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/events"))
					.header("Accept-Encoding", "gzip")
					.header("Accept", "text/event-stream")
					.timeout(Duration.ofSeconds(30))
					.build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
		// Read byte by byte: InputStreamReader asks GZIPInputStream.available(), which says 1 until the end, and so
		// would wait for more than the first event (the server would look as if it held the event back).
		try (InputStream events = new GZIPInputStream(response.body(), 64)) {
			// The application holds the second event back (30 s at most) until the first has arrived: a server that did
			// not flush each event would deliver the first only then, too late for this wait.
			ExecutorService reader = Executors.newSingleThreadExecutor();
			try {
				assertThat(reader.submit(() -> nextEvent(events)).get(10, TimeUnit.SECONDS)).isEqualTo("data:first");
			}
			finally {
				reader.shutdown();
			}
			CompressionTestApplication.SECOND_EVENT.countDown();
			assertThat(nextEvent(events)).isEqualTo("data:second");
		}
	}

	/** One server-sent event, without its blank-line terminator, as soon as its last byte has arrived. */
	private static String nextEvent(InputStream events) throws Exception {
		StringBuilder event = new StringBuilder();
		int b;
		while ((b = events.read()) != -1) {
			event.append((char) b);
			if (event.length() >= 2 && event.charAt(event.length() - 1) == '\n' && event.charAt(event.length() - 2) == '\n') {
				return event.substring(0, event.length() - 2);
			}
		}
		throw new AssertionError("the stream ended inside an event: " + event);
	}

}
