package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.compression.CompressionTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.compression.additional-mime-types} (Boot 4.1) adds to the listed types. Boot 4.0's
 * {@code Compression} has no such property nor {@code getAllMimeTypes()}, whose call made compression fail there with
 * NoSuchMethodError: the starter binds the property itself, so this passes on both Boot lines (-Pboot-4.0).
 */
@SpringBootTest(classes = CompressionTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.compression.enabled=true", "server.compression.min-response-size=1KB",
				"server.compression.mime-types=text/plain",
				"server.compression.additional-mime-types=application/octet-stream" })
class CompressionAdditionalMimeTypesTest {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<byte[]> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept-Encoding", "gzip")
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	@Test
	void listedAndAdditionalTypesAreBothCompressed() throws Exception {
		assertThat(get("/text?size=20000").headers().firstValue("Content-Encoding")).hasValue("gzip");
		HttpResponse<byte[]> binary = get("/binary?size=20000");
		assertThat(binary.statusCode()).isEqualTo(200);
		assertThat(binary.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(binary.body().length).isLessThan(1000);
	}

}
