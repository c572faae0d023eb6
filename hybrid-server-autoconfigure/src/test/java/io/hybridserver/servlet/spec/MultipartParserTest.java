package io.hybridserver.servlet.spec;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hybridserver.servlet.core.ClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming multipart parser, in memory, with reads split into small pieces. */
class MultipartParserTest {

	@TempDir
	Path dir;

	private MultipartParser.Settings settings(long threshold, long maxFile, long maxRequest, int maxParts) {
		return new MultipartParser.Settings(this.dir, threshold, maxFile, maxRequest, maxParts, 4096);
	}

	/** Hands out at most {@code step} bytes per read, as a slow network does. */
	private static InputStream trickle(byte[] bytes, int step) {
		return new ByteArrayInputStream(bytes) {

			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, step));
			}

		};
	}

	@Test
	void parsesFieldsAndFilesAtEveryReadSize() throws Exception {
		String body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue-a\r\n"
				+ "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x;y.txt\"\r\n"
				+ "Content-Type: text/plain\r\n\r\nline1\r\n--Xy not a boundary\r\n\r\n--XyZ--\r\n";
		for (int step = 1; step < body.length(); step += 3) {
			List<UploadedPart> parts = new ArrayList<>();
			new MultipartParser(trickle(body.getBytes(StandardCharsets.UTF_8), step), "XyZ",
					settings(4, -1, -1, 10)).parse(parts);
			assertThat(parts).hasSize(2);
			assertThat(parts.get(0).getName()).isEqualTo("a");
			assertThat(parts.get(0).text(StandardCharsets.UTF_8)).isEqualTo("value-a");
			assertThat(parts.get(1).getSubmittedFileName()).isEqualTo("x;y.txt");
			assertThat(parts.get(1).getContentType()).isEqualTo("text/plain");
			assertThat(parts.get(1).text(StandardCharsets.UTF_8)).isEqualTo("line1\r\n--Xy not a boundary\r\n");
			parts.forEach(UploadedPart::release);
		}
		try (var files = Files.list(this.dir)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void limitsAreClientErrors() {
		String body = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "x".repeat(100) + "\r\n--B--\r\n";
		assertThatThrownBy(() -> new MultipartParser(trickle(body.getBytes(), 7), "B", settings(0, 50, -1, 10))
			.parse(new ArrayList<>())).isInstanceOfSatisfying(ClientErrorException.class,
					(ex) -> assertThat(ex.status()).isEqualTo(413));
		assertThatThrownBy(() -> new MultipartParser(trickle(body.getBytes(), 7), "B", settings(0, -1, 60, 10))
			.parse(new ArrayList<>())).isInstanceOfSatisfying(ClientErrorException.class,
					(ex) -> assertThat(ex.status()).isEqualTo(413));
		assertThatThrownBy(() -> new MultipartParser(trickle(body.getBytes(), 7), "B", settings(0, -1, -1, 0))
			.parse(new ArrayList<>())).isInstanceOfSatisfying(ClientErrorException.class,
					(ex) -> assertThat(ex.status()).isEqualTo(413));
		assertThatThrownBy(() -> new MultipartParser(trickle(body.substring(0, 60).getBytes(), 7), "B",
				settings(0, -1, -1, 10)).parse(new ArrayList<>()))
			.isInstanceOfSatisfying(ClientErrorException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
	}

	@Test
	void boundaryComesFromContentType() {
		assertThat(MultipartParser.boundary("multipart/form-data; boundary=\"a b\"")).isEqualTo("a b");
		assertThat(MultipartParser.boundary("multipart/form-data;charset=utf-8; BOUNDARY=xyz")).isEqualTo("xyz");
		assertThat(MultipartParser.boundary("multipart/form-data")).isNull();
	}

}
