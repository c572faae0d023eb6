package io.hybridserver.autoconfigure;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.H2cClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Spring MVC application with {@code server.http2.enabled=true}, spoken to in h2c by prior knowledge (Netty's
 * HTTP/2 client, and curl where installed) and in HTTP/1.1 on the same port.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.http2.enabled=true", "server.hybrid.http2.max-concurrent-streams=128" })
class Http2MvcApplicationTest {

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
	void theServletRequestSaysHttp2() throws Exception {
		H2cClient.Response response = this.client.get("/protocol").get(10, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("HTTP/2.0 http 127.0.0.1");
	}

	@Test
	void jsonAndErrorsAsOverHttp11() throws Exception {
		H2cClient.Response hello = this.client.get("/hello?name=h2").get(10, TimeUnit.SECONDS);
		assertThat(hello.headers().get("content-type")).hasToString("application/json");
		assertThat(hello.text()).isEqualTo("{\"message\":\"Hello, h2!\"}");
		H2cClient.Response missing = this.client.get("/nothing-here").get(10, TimeUnit.SECONDS);
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.text()).contains("\"status\":404");
	}

	@Test
	void hundredStreamsAtOnceOnOneConnection() throws Exception {
		List<CompletableFuture<H2cClient.Response>> responses = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			responses.add(this.client.get("/hello?name=" + i));
		}
		for (int i = 0; i < 100; i++) {
			assertThat(responses.get(i).get(30, TimeUnit.SECONDS).text())
				.isEqualTo("{\"message\":\"Hello, " + i + "!\"}");
		}
	}

	@Test
	void largeUploadStreamsThroughTheServletInputStream() throws Exception {
		byte[] body = new byte[16 * 1024 * 1024];
		for (int i = 0; i < body.length; i++) {
			body[i] = ProtocolTestApplication.patternByte(i);
		}
		CRC32 crc = new CRC32();
		crc.update(body);
		H2cClient.Response response = this.client
			.send("POST", "/count", Map.of("content-type", "application/octet-stream"), body, true)
			.response()
			.get(60, TimeUnit.SECONDS);
		assertThat(response.text()).isEqualTo(body.length + " " + crc.getValue());
	}

	@Test
	void largeDownloadArrivesWhole() throws Exception {
		int size = 16 * 1024 * 1024 + 123;
		H2cClient.Response response = this.client.get("/download?size=" + size).get(60, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).hasSize(size);
		for (int i = 0; i < size; i += 4099) {
			assertThat(response.body()[i]).isEqualTo(ProtocolTestApplication.patternByte(i));
		}
	}

	@Test
	void http11OnTheSamePortIsUnchanged() throws Exception {
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/protocol"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo("HTTP/1.1 http 127.0.0.1");
	}

	@Test
	void contentLengthIsMinusOneUnlessDeclaredAsTomcatSays() throws Exception {
		assertThat(this.client.get("/length").get(10, TimeUnit.SECONDS).text()).isEqualTo("-1 -1 0");
		byte[] body = "12345".getBytes(StandardCharsets.US_ASCII);
		assertThat(this.client.send("POST", "/length", Map.of("content-length", "5"), body, true)
			.response()
			.get(10, TimeUnit.SECONDS)
			.text()).isEqualTo("5 5 5");
		assertThat(this.client.send("POST", "/length", Map.of(), body, true).response().get(10, TimeUnit.SECONDS).text())
			.isEqualTo("-1 -1 5");
		// HTTP/1.1 from a raw socket, so that no client adds a Content-Length of its own.
		assertThat(http11("GET /length HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.endsWith("\r\n\r\n-1 -1 0");
		assertThat(http11("GET /length HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
			.endsWith("\r\n\r\n0 0 0");
		assertThat(http11("POST /length HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
				+ "Connection: close\r\n\r\n5\r\n12345\r\n0\r\n\r\n"))
			.endsWith("\r\n\r\n-1 -1 5");
	}

	private String http11(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	@Test
	void curlWithPriorKnowledge() throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
		Process curl = new ProcessBuilder("curl", "-s", "--http2-prior-knowledge", "-w", " %{http_version}",
				"http://127.0.0.1:" + this.port + "/protocol")
			.redirectErrorStream(true)
			.start();
		String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(output).isEqualTo("HTTP/2.0 http 127.0.0.1 2");
	}

}
