package io.hybridserver.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import jakarta.servlet.http.HttpServletRequest;

import io.netty.handler.codec.http2.Http2GoAwayFrame;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.hybridserver.apps.async.AsyncTestApplication;
import io.hybridserver.apps.async.AsyncTestApplication.Gates;
import io.hybridserver.apps.compression.CompressionTestApplication;
import io.hybridserver.apps.session.SessionTestApplication;
import io.hybridserver.apps.upload.UploadTestApplication;
import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The features applications use, over HTTP/2, against the same test applications the HTTP/1.1 tests use: servlet
 * async and SSE over h2 (TLS, the JDK's {@code HttpClient}), multipart, sessions, gzip and graceful shutdown over h2c by
 * prior knowledge (Netty's HTTP/2 client). Each also asks the application which protocol its request came by.
 */
class Http2ApplicationFeaturesTest {

	/** Added to each application: what the servlet request says its protocol is. */
	@RestController
	static class ProtocolProbe {

		@GetMapping("/h2-probe")
		String protocol(HttpServletRequest request) {
			return request.getProtocol();
		}

	}

	private static ConfigurableApplicationContext start(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application, ProtocolProbe.class)
			.properties("server.port=0", "server.http2.enabled=true")
			.properties(properties)
			.run();
	}

	private static ConfigurableApplicationContext startTls(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application, ProtocolProbe.class)
			.properties("server.port=0", "server.http2.enabled=true", "server.ssl.key-store=classpath:tls/server.p12",
					"server.ssl.key-store-password=secret", "server.ssl.key-alias=server")
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private static HttpClient h2Client() {
		return HttpClient.newBuilder()
			.sslContext(TestTls.clientContext(null))
			.version(HttpClient.Version.HTTP_2)
			.build();
	}

	private static HttpRequest tlsGet(int port, String path) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

	private static void assertProtocolIsHttp2(H2cClient client) throws Exception {
		H2cClient.Response probe = client.get("/h2-probe").get(10, TimeUnit.SECONDS);
		assertThat(probe.text()).isEqualTo("HTTP/2.0");
	}

	@Test
	void deferredResultAndAsyncContextOverH2() throws Exception {
		try (ConfigurableApplicationContext context = startTls(AsyncTestApplication.class)) {
			int port = port(context);
			Gates gates = context.getBean(Gates.class);
			HttpClient client = h2Client();
			CompletableFuture<HttpResponse<String>> deferred = client.sendAsync(tlsGet(port, "/deferred?key=h2"),
					HttpResponse.BodyHandlers.ofString());
			long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!gates.hasDeferred("h2") && System.nanoTime() < until) {
				Thread.sleep(10);
			}
			assertThat(deferred).isNotDone();
			gates.resolve("h2", "resolved later");
			HttpResponse<String> response = deferred.get(10, TimeUnit.SECONDS);
			assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("resolved later");
			HttpResponse<String> callable = client.send(tlsGet(port, "/callable"),
					HttpResponse.BodyHandlers.ofString());
			assertThat(callable.body()).isEqualTo("callable ran on another thread: true");
			HttpResponse<String> probe = client.send(tlsGet(port, "/h2-probe"), HttpResponse.BodyHandlers.ofString());
			assertThat(probe.body()).isEqualTo("HTTP/2.0");
		}
	}

	@Test
	void sseEventsArriveOneByOneOverH2() throws Exception {
		try (ConfigurableApplicationContext context = startTls(AsyncTestApplication.class)) {
			int port = port(context);
			Gates gates = context.getBean(Gates.class);
			HttpResponse<Stream<String>> response = h2Client()
				.sendAsync(tlsGet(port, "/sse"), HttpResponse.BodyHandlers.ofLines())
				.get(10, TimeUnit.SECONDS);
			assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("text/event-stream"));
			try (Stream<String> lines = response.body()) {
				Iterator<String> events = lines.filter((line) -> line.startsWith("data:")).iterator();
				// The server sends the next event only once the client has seen this one.
				assertThat(events.next()).isEqualTo("data:one");
				gates.open("sse-second");
				assertThat(events.next()).isEqualTo("data:two");
				gates.open("sse-third");
				assertThat(events.next()).isEqualTo("data:three");
				assertThat(events.hasNext()).isFalse();
			}
		}
	}

	@Test
	void multipartUploadOverH2c() throws Exception {
		try (ConfigurableApplicationContext context = start(UploadTestApplication.class);
				H2cClient client = new H2cClient(port(context))) {
			String boundary = "h2boundary";
			byte[] file = "x".repeat(40_000).getBytes(StandardCharsets.US_ASCII);
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nover h2\r\n"
					+ "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
					+ "Content-Type: text/plain\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			body.writeBytes(file);
			body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
			byte[] bytes = body.toByteArray();
			H2cClient.Response response = client
				.send("POST", "/upload",
						Map.of("content-type", "multipart/form-data; boundary=" + boundary, "content-length",
								String.valueOf(bytes.length)),
						bytes, true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("title=over h2 parts=[title=7, file(a.txt)=40000]");
			assertProtocolIsHttp2(client);
		}
	}

	@Test
	void sessionCookieRoundTripOverH2c() throws Exception {
		try (ConfigurableApplicationContext context = start(SessionTestApplication.class);
				H2cClient client = new H2cClient(port(context))) {
			H2cClient.Response first = client.get("/visits").get(10, TimeUnit.SECONDS);
			assertThat(first.text()).isEqualTo("visits=1");
			CharSequence setCookie = first.headers().get("set-cookie");
			assertThat(setCookie).isNotNull();
			String cookie = setCookie.toString().split(";", 2)[0];
			assertThat(cookie).startsWith("JSESSIONID=");
			H2cClient.Response second = client.send("GET", "/visits", Map.of("cookie", cookie), null, true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(second.text()).isEqualTo("visits=2");
			assertThat(second.headers().get("set-cookie")).isNull();
			assertProtocolIsHttp2(client);
		}
	}

	@Test
	void gzipCompressionOverH2c() throws Exception {
		try (ConfigurableApplicationContext context = start(CompressionTestApplication.class,
				"server.compression.enabled=true", "server.compression.min-response-size=1KB");
				H2cClient client = new H2cClient(port(context))) {
			H2cClient.Response response = client.send("GET", "/text?size=20000", Map.of("accept-encoding", "gzip"),
					null, true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.headers().get("content-encoding")).hasToString("gzip");
			assertThat(response.body().length).isLessThan(20000);
			CharSequence length = response.headers().get("content-length");
			if (length != null) {
				assertThat(Integer.parseInt(length.toString())).isEqualTo(response.body().length);
			}
			try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
				assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("a".repeat(20000));
			}
			H2cClient.Response plain = client.get("/text?size=20000").get(10, TimeUnit.SECONDS);
			assertThat(plain.headers().get("content-encoding")).isNull();
			assertThat(plain.text()).isEqualTo("a".repeat(20000));
			assertProtocolIsHttp2(client);
		}
	}

	@Test
	void gracefulShutdownAnswersTheStreamInFlightThenSendsGoaway() throws Exception {
		ConfigurableApplicationContext context = start(MvcTestApplication.class, "server.shutdown=graceful");
		HybridWebServer server = (HybridWebServer) ((WebServerApplicationContext) context).getWebServer();
		try (H2cClient client = new H2cClient(port(context))) {
			assertProtocolIsHttp2(client);
			H2cClient.Stream inFlight = client.send("GET", "/slow", Map.of(), null, true);
			// The shutdown starts once the server has the stream in flight (its handler takes a second).
			await().atMost(Duration.ofSeconds(10)).until(() -> server.getStats().exchangesInFlight() == 1);
			CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.goAway() != null);
			Http2GoAwayFrame goAway = client.goAway();
			assertThat(inFlight.response()).as("GOAWAY before the stream in flight ended").isNotDone();
			// The stream in flight is the last the server will process; anything later is refused.
			assertThat(goAway.lastStreamId()).isEqualTo(inFlight.channel().stream().id());
			H2cClient.Response response = inFlight.response().get(10, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).isEqualTo("slow done");
			closing.get(30, TimeUnit.SECONDS);
		}
		finally {
			context.close();
		}
	}

}
