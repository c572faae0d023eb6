package io.hybridserver.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.RawHttpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Servlet 6.1 trailer fields over HTTP/2 and HTTP/1.1 chunked, against a Spring MVC endpoint: request trailers reach
 * {@code getTrailerFields()} once the body is read ({@code isTrailerFieldsReady()} false before on a body that may
 * have them, true at once on one that cannot), and {@code setTrailerFields} ends the response with them, with fields
 * that may not be trailers ({@code Content-Length}) left out. HTTP/1.0 cannot carry them: the call is refused.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "server.http2.enabled=true")
class TrailersTest {

	private static final byte[] BODY = "hello trailers".getBytes(StandardCharsets.US_ASCII);

	@LocalServerPort
	int port;

	private static String checksum() {
		CRC32 crc = new CRC32();
		crc.update(BODY);
		return Long.toString(crc.getValue());
	}

	@Test
	void trailersBothWaysOverH2c() throws Exception {
		try (H2cClient client = new H2cClient(this.port)) {
			H2cClient.Response response = client
				.send("POST", "/trailers", Map.of(), BODY, Map.of("x-sum", "14", "x-note", "end"), true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.text()).startsWith("ready-before=false trailers={")
				.contains("x-sum=14", "x-note=end")
				.endsWith("} ready-after=true");
			assertThat(response.trailers()).isNotNull();
			assertThat(response.trailers().get("x-checksum")).hasToString(checksum());
			assertThat(response.trailers().get("content-length")).isNull();
			// A request without trailers: none, ready at once since its HEADERS ended the stream... after the body
			// here, which ends the stream with its last DATA frame.
			H2cClient.Response plain = client.send("POST", "/trailers", Map.of(), BODY, true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(plain.text()).isEqualTo("ready-before=false trailers={} ready-after=true");
			assertThat(plain.trailers().get("x-checksum")).hasToString(checksum());
		}
	}

	@Test
	void trailersBothWaysOverHttp11Chunked() throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			connection.send("POST /trailers HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
					+ Integer.toHexString(BODY.length) + "\r\n" + new String(BODY, StandardCharsets.US_ASCII)
					+ "\r\n0\r\nX-Sum: 14\r\n\r\n");
			String answer = new String(connection.input().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(answer).startsWith("HTTP/1.1 200 ")
				.containsIgnoringCase("transfer-encoding: chunked")
				.contains("ready-before=false trailers={x-sum=14} ready-after=true")
				// The last chunk carries the trailer section.
				.endsWith("\r\n0\r\nx-checksum: " + checksum() + "\r\n\r\n");
		}
	}

	@Test
	void aBodyWithALengthIsReadyAtOnceAndTheResponseIsChunkedForItsTrailers() throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			connection.send("POST /trailers HTTP/1.1\r\nHost: h\r\nContent-Length: " + BODY.length
					+ "\r\nConnection: close\r\n\r\n" + new String(BODY, StandardCharsets.US_ASCII));
			String answer = new String(connection.input().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(answer).startsWith("HTTP/1.1 200 ")
				.containsIgnoringCase("transfer-encoding: chunked")
				.doesNotContainIgnoringCase("content-length")
				.contains("ready-before=true trailers={} ready-after=true")
				.endsWith("\r\n0\r\nx-checksum: " + checksum() + "\r\n\r\n");
		}
	}

	@Test
	void http10CannotCarryTrailers() throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			RawHttpConnection.Response response = connection
				.send("POST /trailers HTTP/1.0\r\nHost: h\r\nContent-Length: " + BODY.length + "\r\n\r\n"
						+ new String(BODY, StandardCharsets.US_ASCII))
				.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("ready-before=true trailers={} ready-after=true refused");
		}
	}

}
