package io.hybridserver.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.testsupport.AccessLogFiles;
import io.hybridserver.testsupport.RawHttpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the I/O tier answers itself, without the application, get their line as Tomcat logs its own error
 * answers: a head that cannot be read shows {@code "-"} for its request line; a readable one refused by policy (TRACE,
 * a full request queue) shows its request line. Real sockets, malformed input written byte for byte.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.hybrid.accesslog.enabled=true",
				"server.hybrid.accesslog.pattern=%a \"%r\" %s %b %X m=%m u=%U h=%H tag=%{X-Tag}i",
				"server.hybrid.max-request-line-length=1KB", "server.max-http-request-header-size=2KB",
				"server.hybrid.connection-timeout=1s", "server.hybrid.workers=1",
				"server.hybrid.request-queue-capacity=1", "server.hybrid.request-queue-timeout=0" })
class AccessLogLocalAnswersTest {

	@TempDir
	static Path logs;

	@DynamicPropertySource
	static void logDirectory(DynamicPropertyRegistry registry) {
		registry.add("server.hybrid.accesslog.directory", () -> logs.toString());
	}

	@LocalServerPort
	int port;

	private int answer(String request) throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			return connection.send(request).readResponse().status();
		}
	}

	private String lineWith(String text) throws Exception {
		return AccessLogFiles.awaitLine(logs, (line) -> line.contains(text));
	}

	@Test
	void aMalformedRequestLineIsLoggedAs400WithoutItsLine() throws Exception {
		assertThat(answer("GET /bad target HTTP/1.1\r\nHost: x\r\nX-Tag: malformed\r\n\r\n")).isEqualTo(400);
		// Nothing of a head the decoder refused is the client's to log: not even its headers.
		String line = AccessLogFiles.awaitLine(logs, (l) -> l.contains("\"-\" 400 "));
		assertThat(line).matches("127\\.0\\.0\\.1 \"-\" 400 \\d+ - m=- u=- h=- tag=-");
	}

	@Test
	void aTooLongRequestLineIsLogged414() throws Exception {
		assertThat(answer("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(414);
		assertThat(lineWith("\"-\" 414 ")).startsWith("127.0.0.1 \"-\" 414 ");
	}

	@Test
	void tooLargeHeadersAreLogged431() throws Exception {
		assertThat(answer("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(4000) + "\r\n\r\n"))
			.isEqualTo(431);
		assertThat(lineWith("\"-\" 431 ")).startsWith("127.0.0.1 \"-\" 431 ");
	}

	@Test
	void anUnknownTransferCodingIsLogged501AndAnUnknownVersion505() throws Exception {
		assertThat(answer("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
			.isEqualTo(501);
		assertThat(answer("GET /hello HTTP/1.2\r\nHost: x\r\n\r\n")).isEqualTo(505);
		assertThat(lineWith("\"-\" 501 ")).startsWith("127.0.0.1 \"-\" 501 ");
		assertThat(lineWith("\"-\" 505 ")).startsWith("127.0.0.1 \"-\" 505 ");
	}

	@Test
	void aTraceRefusedByTheServerIsLoggedWithItsRequestLine() throws Exception {
		assertThat(answer("TRACE /traced?q=1 HTTP/1.1\r\nHost: x\r\nX-Tag: t1\r\n\r\n")).isEqualTo(405);
		assertThat(lineWith("\"TRACE /traced?q=1 HTTP/1.1\""))
			.matches("127\\.0\\.0\\.1 \"TRACE /traced\\?q=1 HTTP/1\\.1\" 405 \\d+ - "
					+ "m=TRACE u=/traced h=HTTP/1\\.1 tag=t1");
	}

	@Test
	void aHeadThatNeverEndsIsLogged408() throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(this.port, 10_000)) {
			connection.send("GET /never-ends HTTP/1.1\r\nHost: x\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(408);
		}
		assertThat(lineWith("\"-\" 408 ")).matches("127\\.0\\.0\\.1 \"-\" 408 \\d+ - m=- u=- h=- tag=-");
	}

	@Test
	void requestsRefusedWithTheQueueFullAreLogged503() throws Exception {
		// One worker held by /slow for a second, one request queued behind it: the others of this burst are refused.
		List<RawHttpConnection> connections = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				RawHttpConnection connection = new RawHttpConnection(this.port, 10_000);
				connections.add(connection);
				connection.send("GET /slow?n=" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
			}
			int refused = 0;
			for (int i = 0; i < connections.size(); i++) {
				int status = connections.get(i).readResponse().status();
				String line = lineWith("\"GET /slow?n=" + i + " HTTP/1.1\"");
				assertThat(line).contains("\" " + status + " ");
				if (status == 503) {
					refused++;
					assertThat(line).contains(" - m=GET u=/slow h=HTTP/1.1");
				}
			}
			assertThat(refused).as("a burst of five on one worker and a queue of one").isGreaterThanOrEqualTo(3);
		}
		finally {
			for (RawHttpConnection connection : connections) {
				connection.close();
			}
		}
	}

}
