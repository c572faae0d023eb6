package io.hybridserver.autoconfigure;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.http3reactive.Http3ReactiveTestApplication;
import io.hybridserver.testsupport.Http3TestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application over HTTP/3: JSON, a 1 MiB body counted through DataBuffers, a streamed body, SSE, multipart
 * and errors, each on its own stream of one QUIC connection.
 */
@SpringBootTest(classes = Http3ReactiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.ssl.key-store=classpath:tls/server.p12",
				"server.ssl.key-store-password=secret", "server.ssl.key-alias=server",
				"server.hybrid.http3.enabled=true" })
class Http3ReactiveApplicationTest {

	@LocalServerPort
	int port;

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
	void jsonOverHttp3() throws Exception {
		Http3TestClient.Response response = this.client.get("/hello");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).contains("\"message\":\"hello\"").contains("\"scheme\":\"https\"");
	}

	@Test
	void largeBodyIsCounted() throws Exception {
		byte[] body = new byte[1024 * 1024];
		Http3TestClient.Response response = this.client.send("POST", "/count", Map.of("content-type",
				"application/octet-stream"), body).get(Http3TestClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo(Integer.toString(body.length));
	}

	@Test
	void streamedBodyAndServerSentEvents() throws Exception {
		Http3TestClient.Response stream = this.client.get("/stream");
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.text()).isEqualTo("part1;part2;part3;part4;part5;");
		Http3TestClient.Response sse = this.client.get("/sse");
		assertThat(sse.field("content-type")).startsWith("text/event-stream");
		assertThat(sse.text()).isEqualTo("event:tick\ndata:n1\n\nevent:tick\ndata:n2\n\nevent:tick\ndata:n3\n\n");
	}

	@Test
	void multipartUpload() throws Exception {
		Http3TestClient.Response response = this.client.send("POST", "/upload",
				Map.of("content-type", "multipart/form-data; boundary=xyz"),
				Http3MvcApplicationTest.multipart("xyz", new byte[50_000])).get(Http3TestClient.TIMEOUT_SECONDS,
						TimeUnit.SECONDS);
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.text()).isEqualTo("data.bin 50000");
	}

	@Test
	void errors() throws Exception {
		assertThat(this.client.get("/no-such-page").status()).isEqualTo(404);
		assertThat(this.client.get("/fail").status()).isEqualTo(500);
		assertThat(this.client.get("/hello").status()).isEqualTo(200);
	}

}
