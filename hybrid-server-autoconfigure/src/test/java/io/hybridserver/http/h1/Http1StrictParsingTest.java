package io.hybridserver.http.h1;

import java.io.IOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The malformed and smuggling-style requests of issue 18 against a running server over a real socket. Each bad
 * request follows a good one on the same connection and is followed by a smuggled request: the good one is answered
 * first, the bad one gets its status with {@code Connection: close}, the connection closes, the rejection is counted,
 * and neither the bad request nor the smuggled one ever reaches the application.
 */
class Http1StrictParsingTest {

	private static final String BEFORE = "GET /before HTTP/1.1\r\nHost: x\r\n\r\n";

	private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

	private static final String POST = "POST /bad HTTP/1.1\r\nHost: x\r\n";

	private HybridWebServer server;

	/** The targets that reached the application, and what became of their bodies. */
	private final Queue<String> seen = new ConcurrentLinkedQueue<>();

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	private void start(Consumer<HybridServerSettings> settings) {
		this.server = TestServers.start((exchange) -> {
			byte[] body;
			try {
				body = TestServers.readBody(exchange);
			}
			catch (IOException ex) {
				this.seen.add(exchange.target() + " body failed");
				TestServers.respond(exchange, 400, "the body failed");
				return;
			}
			this.seen.add(exchange.target());
			TestServers.respond(exchange, 200, exchange.method() + " " + exchange.target() + " " + new String(body,
					java.nio.charset.StandardCharsets.ISO_8859_1));
		}, settings);
	}

	private int port() {
		if (this.server == null) {
			start((settings) -> {
			});
		}
		return this.server.getPort();
	}

	// ---- issue 18, point 1: Transfer-Encoding as one list

	@Test
	void chunkedFollowedByASecondIdentityLineGets400() throws Exception {
		assertRefused(POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400,
				Rejection.BAD_REQUEST);
	}

	@Test
	void chunkedNotFinalGets400() throws Exception {
		assertRefused(POST + "Transfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400,
				Rejection.BAD_REQUEST);
	}

	@Test
	void chunkedTwiceGets400() throws Exception {
		assertRefused(POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400, Rejection.BAD_REQUEST);
		assertRefused(POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
				Rejection.BAD_REQUEST);
	}

	@Test
	void chunkedWithATrailingEmptyElementIsServed() throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(port())) {
			connection.send(POST + "Transfer-Encoding: chunked,\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + BEFORE);
			assertThat(connection.readResponse().bodyText()).isEqualTo("POST /bad hello");
			assertThat(connection.readResponse().bodyText()).isEqualTo("GET /before ");
		}
	}

	@Test
	void bareCrInTheLastChunkLineFailsTheBodyAndCloses() throws Exception {
		assertBodyFails(POST + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\r\n\r\n");
	}

	@Test
	void trailingSpaceAfterAChunkSizeFailsTheBodyAndCloses() throws Exception {
		assertBodyFails(POST + "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n");
	}

	// ---- point 2: Host

	@Test
	void invalidHostValuesGet400() throws Exception {
		for (String host : List.of("localhost/evil", "evil@localhost", "local host", "x\"><script>",
				"localhost:abc")) {
			assertRefused("GET /bad HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400, Rejection.BAD_REQUEST);
		}
	}

	@Test
	void userinfoInAnAbsoluteFormTargetGets400() throws Exception {
		assertRefused("GET http://evil@localhost/bad HTTP/1.1\r\nHost: localhost\r\n\r\n", 400,
				Rejection.BAD_REQUEST);
	}

	@Test
	void anEmptyHostIsServed() throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(port())) {
			connection.send("GET /empty-host HTTP/1.1\r\nHost:\r\n\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(200);
		}
	}

	// ---- point 3: Content-Length

	@Test
	void invalidContentLengthsGet400AndEarlierAnswersStillArrive() throws Exception {
		for (String length : List.of("5, 5", "5, 6", "0x5", "5.0", "5 5", "", "99999999999999999999")) {
			assertRefused(POST + "Content-Length: " + length + "\r\n\r\nhello", 400, Rejection.BAD_REQUEST);
		}
		assertRefused(POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400, Rejection.BAD_REQUEST);
	}

	@Test
	void answersPipelinedBeforeAnErrorArriveInOrderFromASlowApplication() throws Exception {
		this.server = TestServers.start((exchange) -> {
			if (exchange.target().equals("/slow")) {
				Thread.sleep(300);
			}
			this.seen.add(exchange.target());
			TestServers.echo(exchange);
		}, (settings) -> settings.setWorkers(4));
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort())) {
			connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n" + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3"
					+ "\r\n\r\nabc" + POST + "Content-Length: 5, 5\r\n\r\nhello" + SMUGGLED);
			assertThat(connection.readResponse().bodyText()).isEqualTo("GET /slow ");
			assertThat(connection.readResponse().bodyText()).isEqualTo("POST /b abc");
			Response refused = connection.readResponse();
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
		assertThat(this.seen).containsExactly("/slow", "/b");
	}

	// ---- point 6: leniency Tomcat does not have

	@Test
	void aSpaceBeforeTheMethodGets400() throws Exception {
		assertRefused(" GET /bad HTTP/1.1\r\nHost: x\r\n\r\n", 400, Rejection.BAD_REQUEST);
	}

	@Test
	void aLowerCaseVersionGets400() throws Exception {
		assertRefused("GET /bad http/1.1\r\nHost: x\r\n\r\n", 400, Rejection.BAD_REQUEST);
	}

	@Test
	void anotherHttpVersionGets505() throws Exception {
		assertRefused("GET /bad HTTP/1.2\r\nHost: x\r\n\r\n", 505, Rejection.BAD_REQUEST);
	}

	@Test
	void codingsBeforeChunkedGet501() throws Exception {
		assertRefused(POST + "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", 501, Rejection.BAD_REQUEST);
		assertRefused(POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, Rejection.BAD_REQUEST);
	}

	@Test
	void aMalformedChunkExtensionFailsTheBodyAndCloses() throws Exception {
		assertBodyFails(POST + "Transfer-Encoding: chunked\r\n\r\n5;\"\r\nhello\r\n0\r\n\r\n");
	}

	@Test
	void raw8BitBytesAndFragmentsInTheTargetGet400() throws Exception {
		assertRefused("GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", 400, Rejection.BAD_REQUEST);
		assertRefused("GET /bad#fragment HTTP/1.1\r\nHost: x\r\n\r\n", 400, Rejection.BAD_REQUEST);
	}

	@Test
	void bareLfGets400() throws Exception {
		assertRefused("GET /bad HTTP/1.1\nHost: x\n\n", 400, Rejection.BAD_REQUEST);
	}

	@Test
	void obsFoldGets400() throws Exception {
		assertRefused("GET /bad HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 400, Rejection.BAD_REQUEST);
	}

	@Test
	void traceGets405WithAllow() throws Exception {
		Response response = assertRefused("TRACE /bad HTTP/1.1\r\nHost: x\r\n\r\n", 405, Rejection.METHOD_NOT_ALLOWED);
		assertThat(response.header("allow")).isEqualTo(RequestHeadValidator.ALLOW_WITHOUT_TRACE)
			.doesNotContain("TRACE");
	}

	@Test
	void traceReachesTheApplicationWhenAllowed() throws Exception {
		start((settings) -> settings.getHttp().setAllowTrace(true));
		try (RawHttpConnection connection = new RawHttpConnection(port())) {
			connection.send("TRACE /traced HTTP/1.1\r\nHost: x\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("TRACE /traced ");
		}
		assertThat(this.server.getStats().rejections(Rejection.METHOD_NOT_ALLOWED)).isZero();
	}

	// ---- the shape of every refusal

	/**
	 * Sends a good request, the bad one and a smuggled one on one connection; checks the good one is answered, then the
	 * bad one with its status, that the connection closes, that the rejection is counted once, and that only the good
	 * request reached the application.
	 */
	private Response assertRefused(String request, int status, Rejection reason) throws Exception {
		int port = port();
		this.seen.clear();
		long rejectedBefore = this.server.getStats().rejections(reason);
		Response refused;
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send(BEFORE + request + SMUGGLED);
			Response before = connection.readResponse();
			assertThat(before.status()).isEqualTo(200);
			assertThat(before.bodyText()).isEqualTo("GET /before ");
			refused = connection.readResponse();
			assertThat(refused.status()).as(request).isEqualTo(status);
			assertThat(refused.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).as("closed after " + request).isTrue();
		}
		assertThat(this.server.getStats().rejections(reason) - rejectedBefore).isEqualTo(1);
		assertThat(this.seen).as("what reached the application").containsExactly("/before");
		return refused;
	}

	/**
	 * A chunked body whose framing breaks after its head was dispatched: the application's read fails, its answer is
	 * the last on the connection, and the smuggled request after the body never reaches it.
	 */
	private void assertBodyFails(String request) throws Exception {
		int port = port();
		this.seen.clear();
		long rejectedBefore = this.server.getStats().rejections(Rejection.BAD_REQUEST);
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send(BEFORE + request + SMUGGLED);
			assertThat(connection.readResponse().bodyText()).isEqualTo("GET /before ");
			Response failed = connection.readResponse();
			assertThat(failed.status()).isEqualTo(400);
			assertThat(failed.bodyText()).isEqualTo("the body failed");
			assertThat(failed.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
		assertThat(this.seen).containsExactly("/before", "/bad body failed");
		assertThat(this.server.getStats().rejections(Rejection.BAD_REQUEST) - rejectedBefore).isEqualTo(1);
	}

}
