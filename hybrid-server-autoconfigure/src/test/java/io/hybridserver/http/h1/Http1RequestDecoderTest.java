package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Http1RequestDecoder} on an EmbeddedChannel: every rule of RFC 9112 it enforces, on valid and invalid input,
 * each input fed whole, split in two at every byte boundary, and one byte at a time, with the same result every time.
 * Every invalid input is followed by a second, valid request: it must never be decoded (nothing after a violation is
 * interpreted, so nothing can be smuggled behind it).
 */
class Http1RequestDecoderTest {

	private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

	private static final String POST_CHUNKED = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

	private static final String POST_CHUNKED_HEAD = "POST / HTTP/1.1 [Host: x, Transfer-Encoding: chunked]";

	@TestFactory
	Stream<DynamicTest> validRequests() {
		return Stream.of(
				valid("simple GET", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1 [Host: x]", "body="),
				valid("empty lines before the request line are skipped",
						"\r\n\r\nGET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n", "GET /a?b=c HTTP/1.1 [Host: x]", "body="),
				valid("HTTP/1.0 needs no Host", "GET / HTTP/1.0\r\n\r\n", "GET / HTTP/1.0 []", "body="),
				valid("an unknown method is a token", "PROPFIND /d HTTP/1.1\r\nHost: x\r\n\r\n",
						"PROPFIND /d HTTP/1.1 [Host: x]", "body="),
				valid("the client's spelling of names is kept and values are trimmed",
						"GET / HTTP/1.1\r\nhost: x\r\nX-A: \t spaced  value \t\r\nCONTENT-LENGTH: 0\r\n\r\n",
						"GET / HTTP/1.1 [host: x, X-A: spaced  value, CONTENT-LENGTH: 0]", "body="),
				valid("obs-text in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: caf\u00e9\r\n\r\n",
						"GET / HTTP/1.1 [Host: x, X-A: caf\u00e9]", "body="),
				valid("a long value with tabs and obs-text (checked eight bytes at a time)",
						"GET / HTTP/1.1\r\nHost: x\r\nX-A: a longer value\twith a tab, caf\u00e9 \u00ff and ~ bytes\r\n\r\n",
						"GET / HTTP/1.1 [Host: x, X-A: a longer value\twith a tab, caf\u00e9 \u00ff and ~ bytes]",
						"body="),
				valid("an IPvFuture literal", "GET / HTTP/1.1\r\nHost: [v1.fe:x]\r\n\r\n",
						"GET / HTTP/1.1 [Host: [v1.fe:x]]", "body="),
				valid("the unspecified IPv6 address", "GET / HTTP/1.1\r\nHost: [::]:1\r\n\r\n",
						"GET / HTTP/1.1 [Host: [::]:1]", "body="),
				valid("an IPv6 literal of eight groups", "GET http://[1:2:3:4:5:6:7:8]:80/ HTTP/1.1\r\nHost: [1:2:3::8]\r\n\r\n",
						"GET http://[1:2:3:4:5:6:7:8]:80/ HTTP/1.1 [Host: [1:2:3::8]]", "body="),
				valid("an empty value", "GET / HTTP/1.1\r\nHost: x\r\nX-A:\r\n\r\n", "GET / HTTP/1.1 [Host: x, X-A: ]",
						"body="),
				valid("length-framed body", "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
						"POST /p HTTP/1.1 [Host: x, Content-Length: 5]", "body=hello"),
				valid("pipelined requests", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhiGET /2 HTTP/1.1\r\n"
						+ "Host: x\r\n\r\n", "POST / HTTP/1.1 [Host: x, Content-Length: 2]", "body=hi",
						"GET /2 HTTP/1.1 [Host: x]", "body="),
				valid("chunked body with extensions and trailers",
						POST_CHUNKED + "5 ;a=b; c = \"q\\\"d\" ;e\r\nhello\r\n6\r\n world\r\n0;z\r\nX-T: 1\r\n"
								+ "Content-Length: 9\r\n\r\n",
						POST_CHUNKED_HEAD, "body=hello world trailers=[X-T: 1]"),
				valid("chunked, with an empty list element, is valid (RFC 9110 5.6.1)",
						"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked,\r\n\r\n0\r\n\r\n",
						"POST / HTTP/1.1 [Host: x, Transfer-Encoding: chunked,]", "body="),
				valid("codings are case-insensitive and lists span field lines",
						"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,\r\nTransfer-Encoding: CHUNKED\r\n\r\n"
								+ "A\r\n0123456789\r\n0\r\n\r\n",
						"POST / HTTP/1.1 [Host: x, Transfer-Encoding: ,, Transfer-Encoding: CHUNKED]",
						"body=0123456789"),
				valid("Host as a name and port", "GET / HTTP/1.1\r\nHost: localhost:8080\r\n\r\n",
						"GET / HTTP/1.1 [Host: localhost:8080]", "body="),
				valid("Host as an IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
						"GET / HTTP/1.1 [Host: [::1]:8080]", "body="),
				valid("Host as a full IPv6 literal with an IPv4 tail",
						"GET / HTTP/1.1\r\nHost: [2001:db8:0:0:0:0:1.2.3.4]\r\n\r\n",
						"GET / HTTP/1.1 [Host: [2001:db8:0:0:0:0:1.2.3.4]]", "body="),
				valid("Host as IPv4 with percent-encoding and sub-delims in a reg-name",
						"GET / HTTP/1.1\r\nHost: ex%41mple-1.com\r\nX: 1\r\n\r\n",
						"GET / HTTP/1.1 [Host: ex%41mple-1.com, X: 1]", "body="),
				valid("an empty Host is allowed (RFC 9112 3.2)", "GET / HTTP/1.1\r\nHost:\r\n\r\n",
						"GET / HTTP/1.1 [Host: ]", "body="),
				valid("absolute-form target", "GET http://localhost:8080/p?q HTTP/1.1\r\nHost: localhost\r\n\r\n",
						"GET http://localhost:8080/p?q HTTP/1.1 [Host: localhost]", "body="),
				valid("absolute-form target without a path", "GET HTTPS://x HTTP/1.1\r\nHost: x\r\n\r\n",
						"GET HTTPS://x HTTP/1.1 [Host: x]", "body="),
				valid("asterisk-form for OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
						"OPTIONS * HTTP/1.1 [Host: x]", "body="),
				valid("a request line of exactly the limit",
						"GET /" + "a".repeat(Http1RequestDecoderHarness.MAX_LINE - 14) + " HTTP/1.1\r\nHost: x\r\n\r\n",
						"GET /" + "a".repeat(Http1RequestDecoderHarness.MAX_LINE - 14) + " HTTP/1.1 [Host: x]",
						"body="),
				valid("a header section of exactly the limit",
						"GET / HTTP/1.1\r\nHost: x\r\nX: " + "v".repeat(Http1RequestDecoderHarness.MAX_HEADERS - 10)
								+ "\r\n\r\n",
						"GET / HTTP/1.1 [Host: x, X: " + "v".repeat(Http1RequestDecoderHarness.MAX_HEADERS - 10) + "]",
						"body="));
	}

	@TestFactory
	Stream<DynamicTest> requestLineViolations() {
		return Stream.of(
				invalid("a space before the method", " GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("garbage before the method", "\u0001GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a method that is no token", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("garbage instead of a request", "HELLO\r\n\r\n", 400),
				invalid("two spaces after the method", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("two spaces before the version", "GET /  HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a space after the version", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400),
				invalid("no version", "GET /\r\nHost: x\r\n\r\n", 400),
				invalid("a lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a malformed version", "GET / HTTP/1.10\r\nHost: x\r\n\r\n", 400),
				invalid("HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
				invalid("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
				invalid("the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
				invalid("a bare LF ending the request line", "GET / HTTP/1.1\nHost: x\r\n\r\n", 400),
				invalid("a bare CR inside the request line", "GET / HTTP/1.1\rX\r\nHost: x\r\n\r\n", 400),
				invalid("a bare CR as an empty line", "\r\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a bare LF as an empty line", "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("too many empty lines", "\r\n".repeat(Http1RequestDecoder.MAX_EMPTY_LINES + 1)
						+ "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a fragment in the target", "GET /a#frag HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a raw 8-bit byte in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a control character in the target", "GET /a\u0007b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a DEL in the target", "GET /a\u007fb HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a tab in the request line", "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a request line over the limit",
						"GET /" + "a".repeat(Http1RequestDecoderHarness.MAX_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n",
						414),
				invalid("a request line over the limit without its end", "GET /" + "a".repeat(1000), 414),
				invalid("asterisk-form for GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("authority-form (CONNECT)", "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a scheme other than http", "GET ftp://x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("userinfo in an absolute-form target", "GET http://evil@localhost/ HTTP/1.1\r\nHost: x\r\n\r\n",
						400),
				invalid("an empty authority", "GET http:///p HTTP/1.1\r\nHost: x\r\n\r\n", 400),
				invalid("a bad port in the target's authority", "GET http://x:80a/ HTTP/1.1\r\nHost: x\r\n\r\n", 400));
	}

	@TestFactory
	Stream<DynamicTest> fieldLineViolations() {
		return Stream.of(
				invalid("whitespace before the colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
				invalid("a tab before the colon", "GET / HTTP/1.1\r\nHost\t: x\r\n\r\n", 400),
				invalid("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 400),
				invalid("a field line starting with a tab", "GET / HTTP/1.1\r\nHost: x\r\n\tX: b\r\n\r\n", 400),
				invalid("no colon", "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", 400),
				invalid("no name", "GET / HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n", 400),
				invalid("a space in the name", "GET / HTTP/1.1\r\nHost: x\r\nX A: v\r\n\r\n", 400),
				invalid("a NUL in the value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n", 400),
				invalid("a bare CR in the value", "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", 400),
				invalid("a bare CR ending a field line", "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\r\n\r\n", 400),
				invalid("a bare LF ending a field line", "GET / HTTP/1.1\r\nHost: x\nX: a\r\n\r\n", 400),
				invalid("a bare LF ending the head", "GET / HTTP/1.1\r\nHost: x\r\n\n", 400),
				invalid("a DEL in the value", "GET / HTTP/1.1\r\nHost: x\r\nX: \u007f\r\n\r\n", 400),
				invalid("a NUL inside a long value", "GET / HTTP/1.1\r\nHost: x\r\nX: 0123456789\u0000abcdefgh\r\n\r\n",
						400),
				invalid("a DEL inside a long value", "GET / HTTP/1.1\r\nHost: x\r\nX: 0123456789\u007fabcdefgh\r\n\r\n",
						400),
				invalid("a control byte next to obs-text in a long value",
						"GET / HTTP/1.1\r\nHost: x\r\nX: \u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u001f\u00ff\r\n\r\n", 400),
				invalid("a bare CR inside a long value", "GET / HTTP/1.1\r\nHost: x\r\nX: 0123456789abcdef\rgh\r\n\r\n",
						400),
				invalid("a header section over the limit", "GET / HTTP/1.1\r\nHost: x\r\nX: "
						+ "v".repeat(Http1RequestDecoderHarness.MAX_HEADERS) + "\r\n\r\n", 431),
				invalid("a header section over the limit in many lines", "GET / HTTP/1.1\r\nHost: x\r\n"
						+ "X: 0123456789\r\n".repeat(Http1RequestDecoderHarness.MAX_HEADERS / 12) + "\r\n", 431));
	}

	@TestFactory
	Stream<DynamicTest> hostViolations() {
		List<DynamicTest> tests = new ArrayList<>();
		tests.add(invalid("no Host on HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400));
		tests.add(invalid("two Hosts", "GET / HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n", 400));
		tests.add(invalid("two Hosts on HTTP/1.0", "GET / HTTP/1.0\r\nHost: x\r\nHost: y\r\n\r\n", 400));
		for (String host : List.of("localhost/evil", "evil@localhost", "local host", "x\"><script>", "localhost:abc",
				":80", "localhost:123456", "[::1", "[::1]x", "[1:2]", "[::g]", "[1::2::3]", "ex%4mple", "a\\b",
				"[1.2.3.4]", "[::1.2.3.256]")) {
			tests.add(invalid("Host " + host, "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400));
		}
		return tests.stream();
	}

	@TestFactory
	Stream<DynamicTest> framingViolations() {
		List<DynamicTest> tests = new ArrayList<>();
		String post = "POST / HTTP/1.1\r\nHost: x\r\n";
		tests.add(invalid("Transfer-Encoding on HTTP/1.0",
				"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
		tests.add(invalid("Transfer-Encoding with Content-Length",
				post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
		tests.add(invalid("chunked not final", post + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400));
		tests.add(invalid("chunked not final over two lines",
				post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400));
		tests.add(invalid("chunked twice", post + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400));
		tests.add(invalid("chunked twice over two lines",
				post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
		tests.add(invalid("no chunked at all", post + "Transfer-Encoding: identity\r\n\r\n", 400));
		tests.add(invalid("gzip alone", post + "Transfer-Encoding: gzip\r\n\r\n", 400));
		tests.add(invalid("an empty Transfer-Encoding", post + "Transfer-Encoding:\r\n\r\n", 400));
		tests.add(invalid("a coding that is no token", post + "Transfer-Encoding: chunked x\r\n\r\n", 400));
		tests.add(invalid("a quoted coding", post + "Transfer-Encoding: \"chunked\"\r\n\r\n", 400));
		tests.add(invalid("chunked with a parameter", post + "Transfer-Encoding: chunked;a=b\r\n\r\n", 400));
		tests.add(invalid("gzip before chunked", post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501));
		tests.add(invalid("identity before chunked",
				post + "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n", 501));
		tests.add(invalid("gzip with a parameter before chunked",
				post + "Transfer-Encoding: gzip;q=1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501));
		for (String length : List.of("5, 5", "5, 6", "0x5", "5.0", "5 5", "", "-1", "+5", "1e3",
				"99999999999999999999", "9223372036854775808")) {
			tests.add(invalid("Content-Length: " + length, post + "Content-Length: " + length + "\r\n\r\nhello",
					400));
		}
		tests.add(invalid("two Content-Length lines", post + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
				400));
		return tests.stream();
	}

	@TestFactory
	Stream<DynamicTest> chunkedBodyViolations() {
		List<DynamicTest> tests = new ArrayList<>();
		for (String sizeLine : List.of("5;\"", "5 ", "5;", "5; ", "5;a=", "5;a=\"open", "5;a b", "5;=b", "5;a=b c",
				"5;a=\"\u0001\"", "g", "", " 5", "-5", "0x5", "ffffffffffffffffff", "5\r")) {
			tests.add(invalid("chunk-size line '" + sizeLine.replace("\r", "\\r") + "'",
					POST_CHUNKED + sizeLine + "\r\nhello\r\n0\r\n\r\n", 400, POST_CHUNKED_HEAD));
		}
		tests.add(invalid("a bare LF after the chunk size", POST_CHUNKED + "5\nhello\r\n0\r\n\r\n", 400,
				POST_CHUNKED_HEAD));
		tests.add(invalid("chunk data not followed by CRLF", POST_CHUNKED + "5\r\nhelloX\r\n0\r\n\r\n", 400,
				POST_CHUNKED_HEAD));
		tests.add(invalid("chunk data followed by a bare LF", POST_CHUNKED + "5\r\nhello\n0\r\n\r\n", 400,
				POST_CHUNKED_HEAD));
		tests.add(invalid("chunk data followed by CR and garbage", POST_CHUNKED + "5\r\nhello\rX0\r\n\r\n", 400,
				POST_CHUNKED_HEAD));
		tests.add(invalid("a bare CR in the last-chunk line", POST_CHUNKED + "0\r\r\n\r\n", 400, POST_CHUNKED_HEAD));
		tests.add(invalid("a bare LF ending the last chunk", POST_CHUNKED + "0\n\r\n", 400, POST_CHUNKED_HEAD));
		tests.add(invalid("a bare LF ending the trailers", POST_CHUNKED + "0\r\n\n", 400, POST_CHUNKED_HEAD));
		tests.add(invalid("a malformed trailer", POST_CHUNKED + "0\r\nX-T : 1\r\n\r\n", 400, POST_CHUNKED_HEAD));
		tests.add(invalid("a folded trailer", POST_CHUNKED + "0\r\nX-T: 1\r\n 2\r\n\r\n", 400, POST_CHUNKED_HEAD));
		tests.add(invalid("trailers over the limit",
				POST_CHUNKED + "0\r\nX-T: " + "t".repeat(Http1RequestDecoderHarness.MAX_HEADERS) + "\r\n\r\n", 431,
				POST_CHUNKED_HEAD));
		return tests.stream();
	}

	@Test
	void chunkSizeThatFillsALongIsTakenAndItsDataStreamed() {
		// 7fffffffffffffff is the largest size; only its first bytes arrive here, as retained slices.
		byte[] input = bytes(POST_CHUNKED + "7fffffffffffffff\r\nabc");
		assertThat(Http1RequestDecoderHarness.transcript(input, input.length)).containsExactly(POST_CHUNKED_HEAD);
		assertThat(Http1RequestDecoderHarness.fuzz(bytes(POST_CHUNKED + "8000000000000000\r\nabc")))
			.containsExactly(POST_CHUNKED_HEAD, "FAIL 400");
	}

	@Test
	void limitsNearIntegerMaxValueDoNotWrap() {
		io.netty.channel.embedded.EmbeddedChannel channel = new io.netty.channel.embedded.EmbeddedChannel(
				new Http1RequestDecoder(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
		channel.writeInbound(channel.alloc().buffer().writeBytes(bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
		io.netty.handler.codec.http.HttpRequest request = channel.readInbound();
		assertThat(request.decoderResult().isSuccess()).isTrue();
		assertThat(request.uri()).isEqualTo("/");
		assertThat(channel.finishAndReleaseAll()).isTrue();
	}

	@Test
	void arbitraryBytesNeverEscapeTheDecoder() {
		java.util.Random random = new java.util.Random(18);
		for (int i = 0; i < 300; i++) {
			byte[] input = new byte[random.nextInt(120)];
			random.nextBytes(input);
			if (i % 2 == 0) {
				// Mostly well-formed: a request prefix and random bytes after it.
				byte[] prefix = bytes(POST_CHUNKED);
				byte[] mixed = Arrays.copyOf(prefix, prefix.length + input.length);
				System.arraycopy(input, 0, mixed, prefix.length, input.length);
				input = mixed;
			}
			List<String> transcript = Http1RequestDecoderHarness.fuzz(input);
			assertThat(transcript.stream().filter((entry) -> entry.startsWith("FAIL")).count()).isLessThanOrEqualTo(1);
		}
	}

	// ---- cases

	private static DynamicTest valid(String name, String input, String... expected) {
		return DynamicTest.dynamicTest(name, () -> assertEverySplit(bytes(input), List.of(expected)));
	}

	private static DynamicTest invalid(String name, String input, int status, String... before) {
		List<String> expected = new ArrayList<>(List.of(before));
		expected.add("FAIL " + status);
		return DynamicTest.dynamicTest(name + " -> " + status,
				() -> assertEverySplit(bytes(input + SMUGGLED), expected));
	}

	private static void assertEverySplit(byte[] input, List<String> expected) {
		assertThat(Http1RequestDecoderHarness.transcript(input, input.length)).as("whole").isEqualTo(expected);
		assertThat(Http1RequestDecoderHarness.transcript(input, 1)).as("byte by byte").isEqualTo(expected);
		for (int split = 1; split < input.length; split++) {
			assertThat(Http1RequestDecoderHarness.transcript(input, new int[] { split }))
				.as("split at %d", split)
				.isEqualTo(expected);
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

}
