package io.hybridserver.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.CRC32;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.Http3TestClient;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A Spring MVC application with {@code server.hybrid.http3.enabled=true} over TLS, reached with Netty's HTTP/3 client
 * on the TLS port's number over UDP: the servlet API sees HTTP/3, bodies go both ways in full (a 1 MiB upload and a
 * download larger than a stream's window), a response arrives in parts, SSE, multipart, errors; the TCP listener
 * advertises HTTP/3 with Alt-Svc; requests count under {@code protocol=h3}, and every connection passed Retry.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.key-alias=server", "server.http2.enabled=true", "server.hybrid.http3.enabled=true",
				"server.hybrid.http3.initial-max-stream-data=64KB" })
class Http3MvcApplicationTest {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	private Http3TestClient client;

	@BeforeEach
	void connect() throws Exception {
		this.client = Http3TestClient.connect(this.port);
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@Test
	void getOverHttp3() throws Exception {
		Http3TestClient.Response response = this.client.get("/protocol");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("HTTP/3 https localhost");
		assertThat(this.client.get("/secure").text()).isEqualTo("true");
		Http3TestClient.Response json = this.client.get("/hello?name=h3");
		assertThat(json.status()).isEqualTo(200);
		assertThat(json.field("content-type")).startsWith("application/json");
		assertThat(json.text()).isEqualTo("{\"message\":\"Hello, h3!\"}");
		// HTTP/3 responses do not advertise what they already are.
		assertThat(json.field("alt-svc")).isNull();
	}

	@Test
	void postOfOneMebibyteIsReadWhole() throws Exception {
		byte[] body = new byte[1024 * 1024];
		for (int i = 0; i < body.length; i++) {
			body[i] = ProtocolTestApplication.patternByte(i);
		}
		CRC32 crc = new CRC32();
		crc.update(body);
		Http3TestClient.Response response = this.client
			.send("POST", "/count", Map.of("content-type", "application/octet-stream"), body)
			.get(60, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo(body.length + " " + crc.getValue());
	}

	@Test
	void downloadLargerThanTheWindowsArrivesWhole() throws Exception {
		int size = 3 * 1024 * 1024;
		Http3TestClient.Response response = this.client.send("GET", "/download?size=" + size, Map.of(), null)
			.get(60, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		byte[] bytes = response.bytes();
		assertThat(bytes).hasSize(size);
		for (int i = 0; i < size; i += 4099) {
			assertThat(bytes[i]).isEqualTo(ProtocolTestApplication.patternByte(i));
		}
	}

	@Test
	void responseStreamsInParts() throws Exception {
		ProtocolTestApplication.firstPartSeen = new CountDownLatch(1);
		Http3TestClient.Response response = this.client.start("GET", "/stream", Map.of(), null);
		// Not buffered to the end: the first part arrives while the handler still waits for the client to see it.
		assertThat(response.nextPart(20, TimeUnit.SECONDS)).isEqualTo("first;");
		assertThat(response.done()).isNotDone();
		ProtocolTestApplication.firstPartSeen.countDown();
		assertThat(response.done().get(30, TimeUnit.SECONDS).text()).isEqualTo("first;second:true");
	}

	@Test
	void serverSentEvents() throws Exception {
		Http3TestClient.Response response = this.client.get("/sse");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.field("content-type")).startsWith("text/event-stream");
		assertThat(response.text()).isEqualTo("event:tick\ndata:n1\n\nevent:tick\ndata:n2\n\nevent:tick\ndata:n3\n\n");
	}

	@Test
	void multipartUpload() throws Exception {
		byte[] file = new byte[100_000];
		Http3TestClient.Response response = this.client
			.send("POST", "/upload", Map.of("content-type", "multipart/form-data; boundary=xyz"),
					multipart("xyz", file))
			.get(30, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("data.bin 100000 over-h3");
	}

	/**
	 * Without a content-length field the length is unknown, as Tomcat reports it for HTTP/1.1 and HTTP/2 alike: a
	 * body-less GET says -1 (its stream's end comes after the request was dispatched), a declared length is given.
	 */
	@Test
	void contentLengthIsMinusOneUnlessDeclared() throws Exception {
		assertThat(this.client.get("/length").text()).isEqualTo("-1 -1 0");
		byte[] body = "12345".getBytes(StandardCharsets.US_ASCII);
		assertThat(this.client.send("POST", "/length", Map.of("content-length", "5"), body)
			.get(30, TimeUnit.SECONDS)
			.text()).isEqualTo("5 5 5");
		assertThat(this.client.send("POST", "/length", Map.of(), body).get(30, TimeUnit.SECONDS).text())
			.isEqualTo("-1 -1 5");
	}

	@Test
	void errorsAreAnsweredOnTheirStream() throws Exception {
		assertThat(this.client.get("/no-such-page").status()).isEqualTo(404);
		Http3TestClient.Response failed = this.client.get("/fail");
		assertThat(failed.status()).isEqualTo(500);
		assertThat(failed.text()).contains("Internal Server Error");
		// The connection goes on.
		assertThat(this.client.get("/hello").status()).isEqualTo(200);
	}

	/**
	 * RFC 9114 4.2: a connection-specific field makes the request malformed; Netty's codec refuses {@code connection}
	 * alone, the server the rest. The stream is reset, the connection goes on.
	 */
	@Test
	void aConnectionSpecificFieldMakesTheRequestMalformed() throws Exception {
		CompletableFuture<Http3TestClient.Response> refused = this.client.send("GET", "/hello",
				Map.of("keep-alive", "timeout=5"), null);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> refused.get(30, TimeUnit.SECONDS));
		assertThat(this.client.get("/hello").status()).isEqualTo(200);
	}

	@Test
	void tcpListenerAdvertisesHttp3() throws Exception {
		String expected = "h3=\":" + this.port + "\"; ma=86400";
		for (HttpClient.Version version : new HttpClient.Version[] { HttpClient.Version.HTTP_1_1,
				HttpClient.Version.HTTP_2 }) {
			HttpClient http = HttpClient.newBuilder().sslContext(TestTls.clientContext(null)).version(version).build();
			HttpResponse<String> response = http.send(HttpRequest
				.newBuilder(URI.create("https://localhost:" + this.port + "/hello"))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.version()).isEqualTo(version);
			assertThat(response.headers().firstValue("alt-svc")).hasValue(expected);
		}
	}

	@Test
	void requestsCountAsH3AndConnectionsPassedRetry() throws Exception {
		double before = counter("hybrid.server.requests", "protocol", "h3", "outcome", "SUCCESS");
		assertThat(this.client.get("/hello").status()).isEqualTo(200);
		await(() -> counter("hybrid.server.requests", "protocol", "h3", "outcome", "SUCCESS") == before + 1);
		// Every client connects through a Retry first (address validation), so each accepted connection had one.
		assertThat(counter("hybrid.server.quic.retries")).isGreaterThanOrEqualTo(1);
		assertThat(counter("hybrid.server.quic.connections.accepted")).isGreaterThanOrEqualTo(1);
		assertThat(counter("hybrid.server.quic.handshakes", "result", "success")).isGreaterThanOrEqualTo(1);
		assertThat(this.registry.find("hybrid.server.quic.connections.active").gauge().value()).isGreaterThanOrEqualTo(1);
	}

	@Test
	void anEndedConnectionsPacketsAreCounted() throws Exception {
		double sent = counter("hybrid.server.quic.packets", "direction", "sent");
		double received = counter("hybrid.server.quic.packets", "direction", "received");
		Http3TestClient other = Http3TestClient.connect(this.port);
		try {
			assertThat(other.get("/hello").status()).isEqualTo(200);
		}
		finally {
			other.close();
		}
		// At least the handshake's and the request's packets each way, once the server has seen the connection end.
		await(() -> counter("hybrid.server.quic.packets", "direction", "sent") >= sent + 2
				&& counter("hybrid.server.quic.packets", "direction", "received") >= received + 2);
		assertThat(counter("hybrid.server.quic.packets.lost")).isGreaterThanOrEqualTo(0);
		assertThat(counter("hybrid.server.quic.packets.retransmitted")).isGreaterThanOrEqualTo(0);
	}

	private double counter(String name, String... tags) {
		return this.registry.find(name).tags(tags).functionCounter().count();
	}

	private static void await(Supplier<Boolean> condition) throws InterruptedException {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.get() && System.nanoTime() < until) {
			Thread.sleep(10);
		}
		assertThat(condition.get()).isTrue();
	}

	static byte[] multipart(String boundary, byte[] file) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nover-h3\r\n--" + boundary
				+ "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n";
		out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(file);
		out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
		return out.toByteArray();
	}

}
