package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.upload.UploadTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Multipart uploads with the limits of {@code spring.servlet.multipart.*}: parts and form fields, the file-size and
 * request-size limits answered as Spring answers MaxUploadSizeExceededException (413), the bound on the number of parts.
 */
@SpringBootTest(classes = UploadTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.servlet.multipart.max-file-size=100KB", "spring.servlet.multipart.max-request-size=300KB",
				"spring.servlet.multipart.file-size-threshold=1KB" })
class MultipartApplicationTest {

	static final String BOUNDARY = "----hybridBoundary7MA4YWxkTrZu0gW";

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<String> post(String path, byte[] body) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String field(String name, String value) {
		return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
	}

	static String file(String name, String fileName, String content) {
		return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
				+ "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
	}

	static String end() {
		return "--" + BOUNDARY + "--\r\n";
	}

	@Test
	void partsAndFormFieldsArrive() throws Exception {
		String body = "preamble to ignore\r\n" + field("title", "Grüße") + file("file", "small.txt", "hello")
				+ file("file", "big.bin", "b".repeat(50_000)) + end();
		HttpResponse<String> response = post("/upload", body.getBytes(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body())
			.isEqualTo("title=Grüße parts=[title=7, file(small.txt)=5, file(big.bin)=50000]");
	}

	@Test
	void aFileOverMaxFileSizeIs413() throws Exception {
		String body = file("file", "huge.bin", "h".repeat(150_000)) + end();
		HttpResponse<String> response = post("/upload", body.getBytes(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(413);
	}

	@Test
	void aRequestOverMaxRequestSizeIs413() throws Exception {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < 4; i++) {
			body.append(file("file", "part" + i + ".bin", "r".repeat(90_000)));
		}
		body.append(end());
		HttpResponse<String> response = post("/upload", body.toString().getBytes(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(413);
	}

	@Test
	void tooManyPartsIs413() throws Exception {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < 60; i++) {
			body.append(field("f" + i, "v"));
		}
		body.append(end());
		HttpResponse<String> response = post("/upload", body.toString().getBytes(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(413);
	}

	@Test
	void aMalformedBodyIs400() throws Exception {
		String body = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno closing boundary";
		HttpResponse<String> response = post("/upload", body.getBytes(StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(400);
	}

	@Test
	void contentSurvivesTheTripToDisk() throws Exception {
		byte[] content = new byte[80_000];
		for (int i = 0; i < content.length; i++) {
			// Bytes that look like the start of a delimiter, to exercise the boundary search.
			content[i] = (byte) ((i % 7 == 0) ? '\r' : (i % 11 == 0) ? '\n' : (i % 13 == 0) ? '-' : i);
		}
		java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
		body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		body.write(content);
		body.write(("\r\n" + end()).getBytes(StandardCharsets.US_ASCII));
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(content);
		HttpResponse<String> response = post("/upload/checksum", body.toByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("size=80000 crc=" + Long.toHexString(crc.getValue()));
	}

}
