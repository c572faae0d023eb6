package io.hybridserver.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

class ResponseFacadeTest {

	@Test
	void smallBodyCommitsWithExactContentLength() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setContentType("text/plain");
			r.getWriter().print("hello");
		}, "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.status).isEqualTo(200);
		assertThat(exchange.contentLength).isEqualTo(5);
		assertThat(exchange.header("Content-Type")).isEqualTo("text/plain;charset=UTF-8");
		assertThat(exchange.bodyText()).isEqualTo("hello");
		assertThat(exchange.completed).isTrue();
	}

	@Test
	void largeBodyStreamsChunked() throws Exception {
		byte[] big = new byte[20_000];
		java.util.Arrays.fill(big, (byte) 'x');
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.getOutputStream().write(big, 0, 5000);
			assertThat(r.isCommitted()).isFalse();
			r.getOutputStream().write(big, 5000, 15000);
			assertThat(r.isCommitted()).isTrue();
		}, "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.contentLength).isEqualTo(-1);
		assertThat(exchange.written.size()).isEqualTo(20_000);
		assertThat(exchange.commits).isEqualTo(1);
	}

	@Test
	void declaredContentLengthClosesTheResponseWhenReached() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setContentLength(3);
			r.getOutputStream().write("abcdef".getBytes());
			assertThat(r.isCommitted()).isTrue();
		}, "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.contentLength).isEqualTo(3);
		assertThat(exchange.bodyText()).isEqualTo("abc");
	}

	@Test
	void resetAfterCommitThrowsAndResetBeforeCommitDiscards() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setHeader("X-Gone", "1");
			r.getWriter().print("discarded");
			r.reset();
			r.getWriter().print("kept");
			r.flushBuffer();
			String outcome;
			try {
				r.resetBuffer();
				outcome = "no exception";
			}
			catch (IllegalStateException ex) {
				outcome = "ISE";
			}
			r.getWriter().print("|" + outcome);
		}, "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.bodyText()).isEqualTo("kept|ISE");
		assertThat(exchange.header("X-Gone")).isNull();
		assertThat(exchange.contentLength).isEqualTo(-1);
	}

	@Test
	void writerAndStreamAreExclusive() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			PrintWriter writer = r.getWriter();
			String outcome;
			try {
				r.getOutputStream();
				outcome = "no exception";
			}
			catch (IllegalStateException ex) {
				outcome = "ISE";
			}
			writer.print(outcome);
		}, "/s").start();
		assertThat(app.get("/s").bodyText()).isEqualTo("ISE");
	}

	@Test
	void defaultCharsetIsIsoAndAppearsOnceWriterIsUsed() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setContentType("text/html");
			r.getWriter().print("\u00e9");
			r.setCharacterEncoding("UTF-8"); // too late: the writer fixed the charset
		}, "/s");
		app.deployment.setDefaultResponseCharacterEncoding(null);
		app.start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.header("Content-Type")).isEqualTo("text/html;charset=ISO-8859-1");
		assertThat(exchange.written.toByteArray()).containsExactly(0xe9);
	}

	@Test
	void theWriterEncodesStringsCharArraysAndSurrogatePairsSplitBetweenWritesAlike() throws Exception {
		String face = "\uD83D\uDE00";
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setContentType("text/plain;charset=UTF-8");
			PrintWriter writer = r.getWriter();
			writer.print("a\u00e9" + face);
			// A pair split between two strings, then between a string and a char array.
			writer.print("b\uD83D");
			writer.print("\uDE00c");
			writer.print("d\uD83D");
			writer.write(new char[] { '\uDE00', 'e' });
			writer.write("xx" + face + "yy", 2, 2);
			// Lone surrogates become '?', in a string as in a char array.
			writer.print("\uDE00f");
			writer.write(new char[] { '\uDE00', 'g' });
		}, "/s").start();
		assertThat(app.get("/s").bodyText())
			.isEqualTo("a\u00e9" + face + "b" + face + "cd" + face + "e" + face + "?f?g");
	}

	@Test
	void theWriterReplacesWhatTheCharsetCannotEncode() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setContentType("text/plain;charset=ISO-8859-1");
			r.getWriter().print("\u00e9\u20ac");
			r.getWriter().write(new char[] { '\u20ac', '\u00e9' });
		}, "/s").start();
		assertThat(app.get("/s").written.toByteArray()).containsExactly(0xe9, '?', '?', 0xe9);
	}

	@Test
	void aContentTypeWithACharsetIsTheSameStringOnEveryResponse() throws Exception {
		java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
		ContainerFixture app = new ContainerFixture().servlet("declared", (q, r) -> {
			r.setContentType("text/plain; charset=\"windows-1252\"");
			seen.add(r.getContentType());
			r.getWriter().print("x");
		}, "/declared").servlet("default", (q, r) -> {
			r.setContentType("application/json");
			seen.add(r.getContentType());
			r.getOutputStream().print("{}");
		}, "/default").start();
		for (int i = 0; i < 2; i++) {
			assertThat(app.get("/declared").header("Content-Type")).isEqualTo("text/plain;charset=windows-1252");
			assertThat(app.get("/default").header("Content-Type")).isEqualTo("application/json;charset=UTF-8");
		}
		// Worked out once, not joined again for every response (nor for every call).
		assertThat(seen.get(2)).isSameAs(seen.get(0));
		assertThat(seen.get(3)).isSameAs(seen.get(1));
	}

	@Test
	void contentTypeCharsetParameterAndLocaleMapping() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("ct", (q, r) -> {
			r.setContentType("application/json; charset=\"utf-16\"");
			r.getWriter().print("{}");
		}, "/ct").servlet("loc", (q, r) -> {
			r.setContentType("text/plain");
			r.setLocale(java.util.Locale.JAPANESE);
			r.getWriter().print("x");
		}, "/loc").servlet("country", (q, r) -> {
			r.setContentType("text/plain");
			r.setLocale(java.util.Locale.JAPAN);
			r.getWriter().print("x");
		}, "/country");
		app.deployment.setDefaultResponseCharacterEncoding(null);
		app.deployment.getLocaleCharsetMappings().put(java.util.Locale.JAPANESE, java.nio.charset.Charset.forName("Shift_JIS"));
		app.start();
		TestExchange ct = app.get("/ct");
		assertThat(ct.header("Content-Type")).isEqualTo("application/json;charset=utf-16");
		assertThat(ct.contentLength).isEqualTo(6);
		TestExchange loc = app.get("/loc");
		assertThat(loc.header("Content-Type")).isEqualTo("text/plain;charset=Shift_JIS");
		assertThat(loc.header("Content-Language")).isEqualTo("ja");
		// ja-JP has no mapping of its own: its language's applies.
		TestExchange country = app.get("/country");
		assertThat(country.header("Content-Type")).isEqualTo("text/plain;charset=Shift_JIS");
		assertThat(country.header("Content-Language")).isEqualTo("ja-JP");
	}

	/** Without mappings (the default) a locale leaves the charset alone, and sets only the Content-Language. */
	@Test
	void aLocaleWithoutMappingsKeepsTheCharset() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("loc", (q, r) -> {
			r.setContentType("text/plain");
			r.setLocale(java.util.Locale.JAPAN);
			r.getWriter().print("\u00e9");
		}, "/loc");
		app.deployment.setDefaultResponseCharacterEncoding(null);
		app.start();
		TestExchange loc = app.get("/loc");
		assertThat(loc.header("Content-Type")).isEqualTo("text/plain;charset=ISO-8859-1");
		assertThat(loc.header("Content-Language")).isEqualTo("ja-JP");
		assertThat(loc.written.toByteArray()).containsExactly(0xe9);
	}

	@Test
	void headersAndCookies() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setHeader("X-A", "1");
			r.addHeader("X-A", "2");
			r.setIntHeader("X-Int", 7);
			r.setDateHeader("Last-Modified", 784111777000L);
			assertThat(r.containsHeader("x-a")).isTrue();
			assertThat(r.getHeaders("X-A")).containsExactly("1", "2");
			Cookie cookie = new Cookie("pref", "dark");
			cookie.setPath("/");
			cookie.setMaxAge(60);
			cookie.setHttpOnly(true);
			cookie.setSecure(true);
			cookie.setAttribute("SameSite", "Strict");
			r.addCookie(cookie);
			r.setStatus(201);
		}, "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.status).isEqualTo(201);
		assertThat(exchange.headers("X-A")).containsExactly("1", "2");
		assertThat(exchange.header("X-Int")).isEqualTo("7");
		assertThat(exchange.header("Last-Modified")).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
		assertThat(exchange.header("Set-Cookie")).startsWith("pref=dark; Max-Age=60; Expires=")
			.contains("; Path=/; Secure; HttpOnly; SameSite=Strict");
		assertThat(exchange.contentLength).isEqualTo(0);
	}

	@Test
	void sendRedirectMakesRelativeLocationsAbsolute() throws Exception {
		ContainerFixture app = new ContainerFixture()
			.servlet("rel", (q, r) -> r.sendRedirect("next?x=1"), "/a/b/*")
			.servlet("abs", (q, r) -> r.sendRedirect("/login"), "/abs")
			.servlet("ext", (q, r) -> {
				r.getWriter().print("dropped");
				r.sendRedirect("https://other.example/x", 307, true);
				r.getWriter().print("ignored");
			}, "/ext")
			.start();
		TestExchange rel = app.get("/a/b/c");
		assertThat(rel.status).isEqualTo(302);
		assertThat(rel.header("Location")).isEqualTo("http://example.com:8080/a/b/next?x=1");
		assertThat(app.get("/abs").header("Location")).isEqualTo("http://example.com:8080/login");
		TestExchange ext = app.get("/ext");
		assertThat(ext.status).isEqualTo(307);
		assertThat(ext.header("Location")).isEqualTo("https://other.example/x");
		assertThat(ext.bodyText()).isEmpty();
	}

	@Test
	void setBufferSizeAfterWritingThrows() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setBufferSize(16);
			assertThat(r.getBufferSize()).isEqualTo(16);
			r.getOutputStream().write(new byte[10]);
			String outcome;
			try {
				r.setBufferSize(1024);
				outcome = "no exception";
			}
			catch (IllegalStateException ex) {
				outcome = "ISE";
			}
			r.setHeader("X-Outcome", outcome);
			r.getOutputStream().write(new byte[10]);
		}, "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.header("X-Outcome")).isEqualTo("ISE");
		assertThat(exchange.contentLength).isEqualTo(-1);
		assertThat(exchange.written.size()).isEqualTo(20);
	}

	@Test
	void emptyResponseCompletesWithZeroLength() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> r.setStatus(204), "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.status).isEqualTo(204);
		assertThat(exchange.contentLength).isZero();
		assertThat(exchange.completed).isTrue();
	}

	@Test
	void responsesOneAfterAnotherOnOneThreadShareABufferButNotTheirBytes() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.getOutputStream().write(q.getParameter("body").getBytes());
			if (q.getParameter("late") != null) {
				r.getOutputStream().close();
				// Ignored: the closed response gave its buffer back for the next one.
				r.getOutputStream().write("late".getBytes());
			}
		}, "/s").start();
		TestExchange first = app.get("/s?body=a-longer-first-body&late=1");
		TestExchange second = app.get("/s?body=short");
		TestExchange third = app.get("/s?body=x");
		assertThat(first.bodyText()).isEqualTo("a-longer-first-body");
		assertThat(first.contentLength).isEqualTo(19);
		assertThat(second.bodyText()).isEqualTo("short");
		assertThat(second.contentLength).isEqualTo(5);
		assertThat(third.bodyText()).isEqualTo("x");
	}

	@Test
	void aResponseWithItsOwnBufferSizeStillBuffersAndCommitsWithItsLength() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setBufferSize(100);
			r.getOutputStream().write(q.getParameter("body").getBytes());
		}, "/s").start();
		assertThat(app.get("/s?body=abc").bodyText()).isEqualTo("abc");
		TestExchange exchange = app.get("/s?body=de");
		assertThat(exchange.bodyText()).isEqualTo("de");
		assertThat(exchange.contentLength).isEqualTo(2);
	}

	@Test
	void aPageWrittenAsThousandsOfPiecesCommitsOnceWithItsExactLength() throws Exception {
		// As a template engine writes: characters, strings and char[] slices, far more than the writer holds at once.
		StringBuilder expected = new StringBuilder();
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setContentType("text/html;charset=UTF-8");
			PrintWriter writer = r.getWriter();
			char[] cell = "<td>\u00e9t\u00e9</td>".toCharArray();
			for (int i = 0; i < 700; i++) {
				writer.write('<');
				writer.print("tr");
				writer.write('>');
				writer.write(cell, 4, 3);
			}
		}, "/s").start();
		for (int i = 0; i < 700; i++) {
			expected.append("<tr>\u00e9t\u00e9");
		}
		TestExchange exchange = app.get("/s");
		byte[] body = expected.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
		assertThat(body.length).isLessThan(8192).isGreaterThan(4096 * 1);
		assertThat(exchange.contentLength).isEqualTo(body.length);
		assertThat(exchange.commits).isEqualTo(1);
		assertThat(exchange.bodyText()).isEqualTo(expected.toString());
	}

	@Test
	void heldCharactersAreDiscardedByResetBufferAndSendErrorButKeptByARedirectThatKeepsTheBuffer() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("reset", (q, r) -> {
			r.getWriter().print("gone");
			r.resetBuffer();
			r.getWriter().print("kept");
		}, "/reset").servlet("keep", (q, r) -> {
			r.getWriter().print("before the redirect");
			r.sendRedirect("/elsewhere", 302, false);
			r.getWriter().print(", not after");
		}, "/keep").start();
		TestExchange reset = app.get("/reset");
		assertThat(reset.bodyText()).isEqualTo("kept");
		assertThat(reset.contentLength).isEqualTo(4);
		TestExchange keep = app.get("/keep");
		assertThat(keep.status).isEqualTo(302);
		assertThat(keep.bodyText()).isEqualTo("before the redirect");
	}

	@Test
	void flushBufferAndASmallBufferOrADeclaredLengthLetNoCharacterWait() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("flush", (q, r) -> {
			r.getWriter().print("abc");
			r.flushBuffer();
			r.setHeader("X-Committed", String.valueOf(r.isCommitted()));
		}, "/flush").servlet("small", (q, r) -> {
			r.setBufferSize(16);
			r.getWriter().print("0123456789abcdefXYZ");
			r.setHeader("X-Committed", String.valueOf(r.isCommitted()));
		}, "/small").servlet("declared", (q, r) -> {
			r.setContentLength(3);
			r.getWriter().print("abcdef");
			r.setHeader("X-Committed", String.valueOf(r.isCommitted()));
		}, "/declared").start();
		TestExchange flushed = app.get("/flush");
		assertThat(flushed.contentLength).isEqualTo(-1);
		assertThat(flushed.bodyText()).isEqualTo("abc");
		TestExchange small = app.get("/small");
		assertThat(small.header("X-Committed")).isNull();
		assertThat(small.contentLength).isEqualTo(-1);
		assertThat(small.bodyText()).isEqualTo("0123456789abcdefXYZ");
		TestExchange declared = app.get("/declared");
		assertThat(declared.contentLength).isEqualTo(3);
		assertThat(declared.bodyText()).isEqualTo("abc");
	}

	@Test
	void aSurrogatePairAcrossTheHeldBufferBoundaryAndALoneHighSurrogateAtTheEnd() throws Exception {
		String face = "\uD83D\uDE00";
		String filler = "x".repeat(4095);
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			r.setContentType("text/plain;charset=UTF-8");
			// The pair's high half is the 4096th character held: it must wait for its low half.
			r.getWriter().print(filler + face + "y\uD83D");
		}, "/s").start();
		assertThat(app.get("/s").bodyText()).isEqualTo(filler + face + "y?");
	}

}
