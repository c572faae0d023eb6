package io.hybridserver.http.h1;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.Exchange;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP/1.1 response head as the worker encodes it from the response's header fields (issue 20), over a real
 * socket: what the server adds (framing, {@code Connection}, {@code Server}, {@code Date}), what it refuses (a value
 * that would inject a field), the size limit, and the keep-alive decisions only the event loop can make, which
 * rewrite a head the worker encoded to stay open.
 */
@ExtendWith(OutputCaptureExtension.class)
class Http1ResponseHeadTest {

	private HybridWebServer server;

	private final List<String> refused = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	private int start(ExchangeHandler handler) {
		return start(handler, (settings) -> {
		});
	}

	private int start(ExchangeHandler handler, Consumer<HybridServerSettings> settings) {
		this.server = TestServers.start(handler, settings);
		return this.server.getPort();
	}

	// ---- field values

	@Test
	void aValueWithCrOrLfIsRefusedWhenSetAndNeverReachesTheWire() throws Exception {
		int port = start((exchange) -> {
			for (String value : List.of("a\r\nx-injected: 1", "a\nx-injected: 1", "a\rx-injected: 1", "a\u0000b")) {
				tryToSet(exchange, "x-evil", value, true);
				tryToSet(exchange, "x-evil", value, false);
			}
			tryToSet(exchange, "x-evil\r\nx-injected", "1", true);
			tryToSet(exchange, "x-fine", "a\tb c", true);
			TestServers.respond(exchange, 200, "ok");
		});
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("x-injected")).isNull();
			assertThat(response.header("x-evil")).isNull();
			assertThat(response.header("x-fine")).isEqualTo("a\tb c");
			assertThat(response.bodyText()).isEqualTo("ok");
		}
		// Nine refusals (four values set and added, one name); the tab and space are allowed (RFC 9110 5.5).
		assertThat(this.refused).hasSize(9).doesNotContain("x-fine");
	}

	private void tryToSet(Exchange exchange, String name, String value, boolean set) {
		try {
			if (set) {
				exchange.responseHeaders().set(name, value);
			}
			else {
				exchange.responseHeaders().add(name, value);
			}
		}
		catch (IllegalArgumentException ex) {
			this.refused.add(name);
		}
	}

	@Test
	void aCharOutsideLatin1IsSentAsAQuestionMark() throws Exception {
		int port = start((exchange) -> {
			exchange.responseHeaders().set("x-price", "caf\u00e9 2 \u20ac");
			TestServers.respond(exchange, 200, "ok");
		});
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			byte[] head = headBytes(connection);
			assertThat(new String(head, StandardCharsets.ISO_8859_1)).contains("x-price: caf\u00e9 2 ?\r\n");
		}
	}

	// ---- the size limit

	@Test
	void aHeadOverTheLimitBecomesAnEmpty500AndTheConnectionGoesOn(CapturedOutput output) throws Exception {
		int port = start((exchange) -> {
			int size = Integer.parseInt(exchange.target().substring(1));
			exchange.responseHeaders().set("x-large", "v".repeat(size));
			TestServers.respond(exchange, 200, "body");
		}, (settings) -> settings.getHttp().setMaxResponseHeaderSize(1024));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET /2000 HTTP/1.1\r\nHost: x\r\n\r\n");
			Response tooLarge = connection.readResponse();
			assertThat(tooLarge.status()).isEqualTo(500);
			assertThat(tooLarge.header("x-large")).isNull();
			assertThat(tooLarge.header("content-length")).isEqualTo("0");
			assertThat(tooLarge.header("date")).isNotBlank();
			assertThat(tooLarge.header("connection")).isNull();
			connection.send("GET /900 HTTP/1.1\r\nHost: x\r\n\r\n");
			Response fits = connection.readResponse();
			assertThat(fits.status()).isEqualTo(200);
			assertThat(fits.header("x-large")).hasSize(900);
			assertThat(fits.bodyText()).isEqualTo("body");
		}
		assertThat(output).contains("WARN").contains("more than server.hybrid.max-response-header-size (1024 bytes)");
	}

	// ---- framing

	@Test
	void bodylessStatusesLoseTheirFramingFields() throws Exception {
		int port = start((exchange) -> {
			int status = Integer.parseInt(exchange.target().substring(1));
			exchange.responseHeaders().set("Transfer-Encoding", "chunked");
			exchange.commit(status, 4);
			exchange.write("body".getBytes(StandardCharsets.US_ASCII), 0, 4);
			exchange.complete();
		});
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			for (int status : new int[] { 204, 304 }) {
				connection.send("GET /" + status + " HTTP/1.1\r\nHost: x\r\n\r\n");
				Response response = connection.readResponse();
				assertThat(response.status()).isEqualTo(status);
				assertThat(response.header("content-length")).isNull();
				assertThat(response.header("transfer-encoding")).isNull();
			}
			connection.send("GET /205 HTTP/1.1\r\nHost: x\r\n\r\n");
			Response reset = connection.readResponse();
			assertThat(reset.status()).isEqualTo(205);
			assertThat(reset.header("content-length")).isEqualTo("0");
			assertThat(reset.header("transfer-encoding")).isNull();
			// Nothing of the bodies came: the next answer starts right here.
			connection.send("GET /200 HTTP/1.1\r\nHost: x\r\n\r\n");
			Response ok = connection.readResponse();
			assertThat(ok.status()).isEqualTo(200);
			assertThat(ok.header("content-length")).isEqualTo("4");
			assertThat(ok.bodyText()).isEqualTo("body");
		}
	}

	@Test
	void aHeadRequestGetsTheLengthOfTheBodyItDoesNotGet() throws Exception {
		int port = start((exchange) -> TestServers.respond(exchange, 200, "twelve bytes"));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
			Response head = connection.readHead();
			assertThat(head.header("content-length")).isEqualTo("12");
			assertThat(head.header("connection")).isNull();
			assertThat(connection.readResponse().bodyText()).isEqualTo("twelve bytes");
		}
	}

	@Test
	void aBodyOfUnknownLengthIsChunkedOverHttp11AndEndsWithTheConnectionOverHttp10() throws Exception {
		int port = start((exchange) -> {
			exchange.write("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
			exchange.complete();
		});
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			Response chunked = connection.readResponse();
			assertThat(chunked.header("transfer-encoding")).isEqualTo("chunked");
			assertThat(chunked.header("connection")).isNull();
			assertThat(chunked.bodyText()).isEqualTo("abc");
		}
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
			Response head = connection.readHead();
			assertThat(head.header("transfer-encoding")).isNull();
			assertThat(head.header("connection")).isEqualTo("close");
			assertThat(new String(connection.input().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abc");
		}
	}

	@Test
	void aBodyLargerThanWhatGoesInsideTheHeadStillArrivesWhole() throws Exception {
		String large = "x".repeat(ResponseEncoder.INLINE_BODY_LIMIT + 1);
		int port = start((exchange) -> TestServers.respond(exchange, 200, exchange.target().equals("/large") ? large
				: "small"));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET /large HTTP/1.1\r\nHost: x\r\n\r\nGET /small HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().bodyText()).isEqualTo(large);
			assertThat(connection.readResponse().bodyText()).isEqualTo("small");
		}
	}

	// ---- fields the server adds

	@Test
	void serverAndDateAreAddedUnlessTheApplicationSetsServer() throws Exception {
		int port = start((exchange) -> {
			if (exchange.target().equals("/own")) {
				exchange.responseHeaders().set("Server", "mine");
			}
			TestServers.respond(exchange, 200, "ok");
		}, (settings) -> settings.getHttp().setServerHeader("hybrid"));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.header("server")).isEqualTo("hybrid");
			assertThat(response.header("date")).endsWith(" GMT");
			connection.send("GET /own HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().header("server")).isEqualTo("mine");
		}
	}

	// ---- Connection: what the worker decides

	@Test
	void aClientThatAsksToCloseGetsCloseAndTheConnectionEnds() throws Exception {
		int port = start((exchange) -> TestServers.respond(exchange, 200, "ok"));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.header("connection")).isEqualTo("close");
			assertThat(response.bodyText()).isEqualTo("ok");
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void anHttp10ClientThatAsksForKeepAliveGetsItSaidBack() throws Exception {
		int port = start((exchange) -> TestServers.respond(exchange, 200, "ok"));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			for (int i = 0; i < 2; i++) {
				connection.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
				Response response = connection.readResponse();
				assertThat(response.header("connection")).isEqualTo("keep-alive");
				assertThat(response.bodyText()).isEqualTo("ok");
			}
			connection.send("GET / HTTP/1.0\r\n\r\n");
			assertThat(connection.readResponse().header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void theApplicationsConnectionCloseIsKeptAndHonoured() throws Exception {
		int port = start((exchange) -> {
			exchange.responseHeaders().add("Connection", "close");
			TestServers.respond(exchange, 200, "ok");
		});
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			byte[] head = headBytes(connection);
			String text = new String(head, StandardCharsets.US_ASCII);
			// One Connection line, not the application's and the server's.
			assertThat(text.split("(?i)connection:", -1)).hasSize(2);
			assertThat(text.toLowerCase()).contains("connection: close\r\n");
			connection.input().readNBytes(2);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void theApplicationsOtherConnectionValuesAreKeptOnAKeepAliveResponse() throws Exception {
		int port = start((exchange) -> {
			exchange.responseHeaders().add("Connection", "x-hop");
			exchange.responseHeaders().set("x-hop", "1");
			TestServers.respond(exchange, 200, "ok");
		});
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			Response response = connection.readResponse();
			assertThat(response.header("connection")).isEqualTo("x-hop");
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().bodyText()).isEqualTo("ok");
		}
	}

	@Test
	void theLastRequestUnderTheKeepAliveCapSaysClose() throws Exception {
		int port = start((exchange) -> TestServers.respond(exchange, 200, "ok"),
				(settings) -> settings.getHttp().setMaxKeepAliveRequests(2));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().header("connection")).isNull();
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	// ---- Connection: what only the event loop knows, rewriting the worker's head

	@Test
	void aResponseThatLeavesTheRequestBodyUnreadSaysClose() throws Exception {
		int port = start((exchange) -> TestServers.respond(exchange, 200, "early"),
				(settings) -> settings.getHttp().setRequestBodyBufferSize(1024));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			// More than the body buffer, so the request goes to the worker before its body has arrived.
			connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "b".repeat(4096));
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("connection")).isEqualTo("close");
			assertThat(response.bodyText()).isEqualTo("early");
		}
	}

	@Test
	void theLastAnswerBeforeThePipeliningBoundSaysClose() throws Exception {
		int port = start((exchange) -> {
			if (exchange.target().equals("/slow")) {
				Thread.sleep(200);
			}
			TestServers.respond(exchange, 200, exchange.target());
		}, (settings) -> settings.getHttp().setMaxPipelinedRequests(2));
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
					+ "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
			Response first = connection.readResponse();
			assertThat(first.bodyText()).isEqualTo("/slow");
			assertThat(first.header("connection")).isNull();
			Response second = connection.readResponse();
			assertThat(second.bodyText()).isEqualTo("/b");
			assertThat(second.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	// ---- ends without a normal end: nothing encoded leaks (the leak detector fails the build)

	@Test
	void aHeadThatNeverLeavesIsFreed() throws Exception {
		int port = start((exchange) -> {
			switch (exchange.target()) {
				case "/short" -> {
					// Ends with fewer bytes than its Content-Length promised: aborted, its head never sent.
					exchange.commit(200, 10);
					exchange.complete();
				}
				case "/held" -> {
					// The whole body written, held for the end, then aborted instead.
					exchange.commit(200, 2);
					exchange.write("ok".getBytes(StandardCharsets.US_ASCII), 0, 2);
					exchange.abort(new IOException("changed its mind"));
				}
				default -> {
					exchange.commit(200, 2);
					exchange.abort(new IOException("changed its mind"));
				}
			}
		});
		for (String target : List.of("/short", "/held", "/committed")) {
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				connection.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(connection.input().readAllBytes()).isEmpty();
			}
		}
	}

	@Test
	void aFlushAfterTheWholeBodySendsItAtOnce() throws Exception {
		java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(1);
		int port = start((exchange) -> {
			exchange.commit(200, 2);
			exchange.write("ok".getBytes(StandardCharsets.US_ASCII), 0, 2);
			exchange.flush();
			// The client has the response before the exchange ends.
			received.await();
			exchange.complete();
		});
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().bodyText()).isEqualTo("ok");
			received.countDown();
			connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
			received.countDown();
			assertThat(connection.readResponse().bodyText()).isEqualTo("ok");
		}
	}

	/** The head's bytes as they came, up to and with the empty line. */
	private static byte[] headBytes(RawHttpConnection connection) throws IOException {
		java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
		int b;
		while ((b = connection.input().read()) != -1) {
			head.write(b);
			byte[] sofar = head.toByteArray();
			int n = sofar.length;
			if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r'
					&& sofar[n - 1] == '\n') {
				break;
			}
		}
		return head.toByteArray();
	}

}
