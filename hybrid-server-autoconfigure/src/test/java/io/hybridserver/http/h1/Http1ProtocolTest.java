package io.hybridserver.http.h1;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 over a real socket with a raw client: framing, keep-alive, pipelining, limits and timeouts, as RFC 9112
 * asks of a server.
 */
class Http1ProtocolTest {

	private HybridWebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	private int startEcho() {
		this.server = TestServers.start(TestServers::echo, (settings) -> {
		});
		return this.server.getPort();
	}

	@Test
	void keepAliveConnectionServesSeveralRequests() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			for (int i = 0; i < 3; i++) {
				connection.send("GET /n" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
				Response response = connection.readResponse();
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.bodyText()).isEqualTo("GET /n" + i + " ");
				assertThat(response.header("connection")).isNull();
				assertThat(response.header("date")).isNotBlank();
			}
		}
	}

	@Test
	void pipelinedRequestsAreAnsweredInRequestOrder() throws Exception {
		// The first request is the slowest: its answer must still come first.
		this.server = TestServers.start((exchange) -> {
			if (exchange.target().equals("/slow")) {
				Thread.sleep(300);
			}
			TestServers.echo(exchange);
		}, (settings) -> settings.setWorkers(4));
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort())) {
			connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n" + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
					+ "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().bodyText()).isEqualTo("GET /slow ");
			assertThat(connection.readResponse().bodyText()).isEqualTo("POST /b abc");
			assertThat(connection.readResponse().bodyText()).isEqualTo("GET /c ");
		}
	}

	@Test
	void chunkedRequestBodyIsDecoded() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("POST /up hello world");
		}
	}

	@Test
	void chunkedResponseWhenLengthIsUnknown() throws Exception {
		this.server = TestServers.start((exchange) -> {
			exchange.write("part1-".getBytes(), 0, 6);
			exchange.flush();
			exchange.write("part2".getBytes(), 0, 5);
			exchange.complete();
		}, (settings) -> {
		});
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort())) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
			assertThat(response.bodyText()).isEqualTo("part1-part2");
		}
	}

	@Test
	void headResponseHasNoBody() throws Exception {
		this.server = TestServers.start((exchange) -> TestServers.respond(exchange, 200, "twelve bytes"), (s) -> {
		});
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort())) {
			connection.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
			Response head = connection.readHead();
			assertThat(head.status()).isEqualTo(200);
			assertThat(head.header("content-length")).isEqualTo("12");
			// The next bytes are the second response, not a body for HEAD.
			Response get = connection.readResponse();
			assertThat(get.bodyText()).isEqualTo("twelve bytes");
		}
	}

	@Test
	void expectContinueIsAnsweredWhenTheHandlerReads() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("PUT /c HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
			Response interim = connection.readResponse();
			assertThat(interim.status()).isEqualTo(100);
			connection.send("data");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("PUT /c data");
		}
	}

	@Test
	void expectContinueIsNotSentWhenTheHandlerAnswersWithoutReading() throws Exception {
		this.server = TestServers.start((exchange) -> TestServers.respond(exchange, 413, "too big"), (s) -> {
		});
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort())) {
			connection.send("PUT /c HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(413);
			assertThat(response.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void oversizedHeadersGet431() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(431);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void overlongRequestLineGets414() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET /" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(414);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void transferEncodingWithContentLengthGets400AndClose() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void http10WithTransferEncodingGets400AndClose() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "0\r\n\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(400);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void missingHostGets400() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\n\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(400);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void garbageGets400() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("HELLO\r\n\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(400);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void halfSentHeadGets408AndClose() throws Exception {
		this.server = TestServers.start(TestServers::echo,
				(settings) -> settings.getHttp().setConnectionTimeout(Duration.ofMillis(500)));
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 5_000)) {
			connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n");
			long start = System.nanoTime();
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(408);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void idleKeepAliveConnectionIsClosedQuietly() throws Exception {
		this.server = TestServers.start(TestServers::echo,
				(settings) -> settings.getHttp().setKeepAliveTimeout(Duration.ofMillis(300)));
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 5_000)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(200);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void maxKeepAliveRequestsClosesTheConnection() throws Exception {
		this.server = TestServers.start(TestServers::echo,
				(settings) -> settings.getHttp().setMaxKeepAliveRequests(2));
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort())) {
			connection.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().header("connection")).isNull();
			connection.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET /old HTTP/1.0\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void pipeliningFloodIsBoundedAndTheServerStaysHealthy() throws Exception {
		this.server = TestServers.start(TestServers::echo, (settings) -> settings.getHttp().setMaxPipelinedRequests(8));
		int sent = 2_000;
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort())) {
			StringBuilder flood = new StringBuilder();
			for (int i = 0; i < sent; i++) {
				flood.append("GET /f").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
			}
			connection.send(flood.toString());
			List<String> answered = new ArrayList<>();
			while (true) {
				Response response;
				try {
					response = connection.readResponse();
				}
				catch (java.io.EOFException | java.net.SocketException ex) {
					break;
				}
				answered.add(response.bodyText());
				if ("close".equals(response.header("connection"))) {
					break;
				}
			}
			// Answers come in order, from the first request, and stop well short of the flood.
			assertThat(answered).isNotEmpty();
			assertThat(answered.size()).isLessThan(sent);
			for (int i = 0; i < answered.size(); i++) {
				assertThat(answered.get(i)).isEqualTo("GET /f" + i + " ");
			}
			assertThat(connection.isClosedByServer()).isTrue();
		}
		try (RawHttpConnection fresh = new RawHttpConnection(this.server.getPort())) {
			fresh.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(fresh.readResponse().bodyText()).isEqualTo("GET /after ");
		}
	}

	@Test
	void answerGivenWithoutReadingALargeUploadReachesTheClient() throws Exception {
		// As a security filter's 401 does: the handler answers without reading the 64 MiB upload arriving meanwhile.
		// Closing with unread bytes makes the kernel send a reset, which destroys whatever of the answer the client has
		// not read yet (RFC 9112, 9.6): the server must close its side first and throw the rest away while the client
		// reads. The answer is larger than the client's receive buffer and the client reads it a second late, so most of
		// it still waits in the server's send buffer when the server closes; the upload goes on at about 6 MB/s.
		String answer = "denied ".repeat(300_000);
		this.server = TestServers.start((exchange) -> {
			Thread.sleep(300);
			TestServers.respond(exchange, 401, answer);
		}, (s) -> {
		});
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 10_000)) {
			connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 67108864\r\n\r\n");
			Thread uploader = new Thread(() -> {
				byte[] chunk = new byte[64 * 1024];
				try {
					for (int i = 0; i < 1024; i++) {
						connection.output().write(chunk);
						Thread.sleep(10);
					}
				}
				catch (java.io.IOException | InterruptedException expected) {
					// The server stops taking the body once it has lingered long enough.
				}
			});
			uploader.start();
			Thread.sleep(1_000);
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.body()).hasSize(answer.length());
			assertThat(response.bodyText().equals(answer)).as("the whole answer arrived intact").isTrue();
			// The head left before the answer was complete, so it could not say "close"; the server closes after it.
			assertThat(connection.isClosedByServer()).isTrue();
			uploader.join(30_000);
			assertThat(uploader.isAlive()).isFalse();
		}
	}

	@Test
	void halfClosedClientStillGetsItsAnswer() throws Exception {
		int port = startEcho();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET /half HTTP/1.1\r\nHost: x\r\n\r\n");
			connection.socket().shutdownOutput();
			assertThat(connection.readResponse().bodyText()).isEqualTo("GET /half ");
		}
	}

}
