package io.hybridserver.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UnsupportedEncodingException;
import java.util.Collections;
import java.util.Locale;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

class RequestFacadeTest {

	@Test
	void queryAndFormParametersAreMerged() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> r.getWriter()
			.print(q.getParameter("a") + "|" + String.join(",", q.getParameterValues("b")) + "|" + q.getParameter("c")
					+ "|" + q.getParameterMap().size()), "/form")
			.start();
		TestExchange exchange = new TestExchange("POST", "/form?a=1&b=x%20y")
			.header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.body("b=z&c=caf%C3%A9+ok");
		assertThat(app.run(exchange).bodyText()).isEqualTo("1|x y,z|café ok|3");
	}

	@Test
	void tooManyParametersIs400() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> q.getParameter("a"), "/p");
		app.deployment.setMaxParameterCount(3);
		app.start();
		assertThat(app.get("/p?a=1&b=2&c=3").status).isEqualTo(200);
		assertThat(app.get("/p?a=1&b=2&c=3&d=4").status).isEqualTo(400);
	}

	@Test
	void oversizedFormIs413EvenWithoutDeclaredLength() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> q.getParameter("a"), "/p");
		app.deployment.setMaxFormPostSize(10);
		app.start();
		TestExchange declared = new TestExchange("POST", "/p")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.body("a=0123456789");
		assertThat(app.run(declared).status).isEqualTo(413);
		TestExchange chunked = new TestExchange("POST", "/p")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.body("a=0123456789")
			.chunkedRequest();
		assertThat(app.run(chunked).status).isEqualTo(413);
	}

	@Test
	void headersDatesCookiesAndLocales() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			Cookie[] cookies = q.getCookies();
			r.getWriter().print(q.getHeader("x-one") + "|" + Collections.list(q.getHeaders("X-Multi")) + "|"
					+ q.getIntHeader("X-Int") + "|" + q.getIntHeader("X-Absent") + "|"
					+ q.getDateHeader("If-Modified-Since") + "|" + q.getDateHeader("X-Rfc850") + "|"
					+ q.getDateHeader("X-Asctime") + "|" + cookies.length + ":" + cookies[0].getName() + "="
					+ cookies[0].getValue() + "," + cookies[1].getName() + "=" + cookies[1].getValue() + "|"
					+ q.getLocale() + "|" + Collections.list(q.getLocales()));
		}, "/h").start();
		TestExchange exchange = TestExchange.get("/h")
			.header("X-One", "1")
			.header("X-Multi", "a")
			.header("X-Multi", "b")
			.header("X-Int", " 42 ")
			.header("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT")
			.header("X-Rfc850", "Sunday, 06-Nov-94 08:49:37 GMT")
			.header("X-Asctime", "Sun Nov  6 08:49:37 1994")
			.header("Cookie", "a=1; b=\"two\"; bad name=x; noequals")
			.header("Accept-Language", "fr;q=0.5, en-GB, de;q=0.8, *;q=0.1, es;q=0");
		assertThat(app.run(exchange).bodyText()).isEqualTo(
				"1|[a, b]|42|-1|784111777000|784111777000|784111777000|2:a=1,b=two|en_GB|[en_GB, de, fr]");
	}

	@Test
	void urlPartsFromHostHeaderAndAddresses() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> r.getWriter()
			.print(q.getRequestURL() + "|" + q.getServerName() + ":" + q.getServerPort() + "|" + q.getQueryString()
					+ "|" + q.getRemoteAddr() + ":" + q.getRemotePort() + "|" + q.getLocalPort() + "|" + q.getScheme()
					+ q.isSecure() + "|" + q.getProtocol() + "|" + q.getMethod()), "/u/*")
			.start();
		assertThat(app.get("/u/a%20b?x=1&y").bodyText()).isEqualTo(
				"http://example.com:8080/u/a%20b|example.com:8080|x=1&y|192.0.2.7:51234|8080|httpfalse|HTTP/1.1|GET");
		TestExchange https = new TestExchange("GET", "/u/z").header("Host", "secure.example").secure();
		assertThat(app.run(https).bodyText()).startsWith("https://secure.example/u/z|secure.example:443|null");
	}

	@Test
	void decodedPathInfoButRawRequestUri() throws Exception {
		ContainerFixture app = new ContainerFixture()
			.servlet("s", (q, r) -> r.getWriter().print(q.getPathInfo() + "|" + q.getRequestURI()), "/d/*")
			.start();
		TestExchange exchange = app.get("/d/caf%C3%A9//x/./y/../z");
		assertThat(exchange.bodyText()).isEqualTo("/café/x/z|/d/caf%C3%A9//x/./y/../z");
	}

	@Test
	void unsafePathsAre400() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> r.getWriter().print("ok"), "/").start();
		assertThat(app.get("/a/../../etc/passwd").status).isEqualTo(400);
		assertThat(app.get("/a%2Fb").status).isEqualTo(400);
		assertThat(app.get("/a%00b").status).isEqualTo(400);
		assertThat(app.get("/a%zz").status).isEqualTo(400);
		assertThat(app.get("/a%C3").status).isEqualTo(400);
		assertThat(app.get("/a/../b").status).isEqualTo(200);
	}

	@Test
	void requestCharsetFromContentTypeOrSetter() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			String before = q.getCharacterEncoding();
			boolean unsupported = false;
			try {
				q.setCharacterEncoding("no-such-charset");
			}
			catch (UnsupportedEncodingException ex) {
				unsupported = true;
			}
			q.setCharacterEncoding("UTF-8");
			r.getWriter().print(before + "|" + unsupported + "|" + q.getReader().readLine());
		}, "/c").start();
		TestExchange exchange = new TestExchange("POST", "/c").header("Content-Type", "text/plain;charset=ISO-8859-1")
			.body("h\u00e9");
		assertThat(app.run(exchange).bodyText()).isEqualTo("ISO-8859-1|true|h\u00e9");
	}

	@Test
	void theInputStreamReadsMarkedBytesAgainAfterReset() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			java.io.InputStream in = q.getInputStream();
			byte[] three = new byte[3];
			in.mark(5);
			int first = in.read(three, 0, 3);
			in.reset();
			String again = new String(in.readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII);
			in.mark(2);
			in.readNBytes(3);
			String overLimit;
			try {
				in.reset();
				overLimit = "reset";
			}
			catch (java.io.IOException ex) {
				overLimit = "invalid mark";
			}
			r.getWriter().print(first + "|" + again + "|" + overLimit + "|" + new String(in.readAllBytes(),
					java.nio.charset.StandardCharsets.US_ASCII) + "|" + in.read() + "|" + q.getInputStream().isFinished());
		}, "/m").start();
		assertThat(in(app, new TestExchange("POST", "/m").body("hello world")))
			.isEqualTo("3|hell|invalid mark|orld|-1|true");
	}

	@Test
	void theInputStreamPeekedAsSpringDoesReadsTheWholeBodyInOneArray() throws Exception {
		byte[] body = new byte[20_000];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) (i % 251);
		}
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			java.io.InputStream in = q.getInputStream();
			// What Spring MVC does before reading a @RequestBody: is there a first byte?
			boolean markable = in.markSupported();
			in.mark(1);
			int peeked = in.read();
			in.reset();
			int length = q.getContentLength();
			byte[] all = (length >= 0) ? in.readNBytes(length) : in.readAllBytes();
			r.getWriter().print(markable + "|" + peeked + "|" + java.util.Arrays.equals(all, body) + "|"
					+ in.readAllBytes().length + "|" + in.read());
		}, "/p").start();
		assertThat(in(app, new TestExchange("POST", "/p").body(body))).isEqualTo("true|0|true|0|-1");
		// A chunked body (no declared length) is read whole as well.
		assertThat(in(app, new TestExchange("POST", "/p").body(body).chunkedRequest())).isEqualTo("true|0|true|0|-1");
	}

	private static String in(ContainerFixture app, TestExchange exchange) {
		return app.run(exchange).bodyText();
	}

	@Test
	void streamAndReaderAreExclusive() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			q.getInputStream();
			try {
				q.getReader();
				r.getWriter().print("no exception");
			}
			catch (IllegalStateException ex) {
				r.getWriter().print("exclusive");
			}
		}, "/x").start();
		assertThat(app.get("/x").bodyText()).isEqualTo("exclusive");
	}

	@Test
	void localeDefaultsWhenNoAcceptLanguage() throws Exception {
		ContainerFixture app = new ContainerFixture()
			.servlet("s", (q, r) -> r.getWriter().print(q.getLocale().equals(Locale.getDefault())), "/l")
			.start();
		assertThat(app.get("/l").bodyText()).isEqualTo("true");
	}

	@Test
	void requestIdIsStableWithinARequestAndUniqueAcrossRequests() throws Exception {
		ContainerFixture app = new ContainerFixture()
			.servlet("s", (q, r) -> r.getWriter().print(q.getRequestId() + "|" + q.getRequestId()), "/id")
			.start();
		String[] first = app.get("/id").bodyText().split("\\|");
		String[] second = app.get("/id").bodyText().split("\\|");
		assertThat(first[0]).isNotEmpty().isEqualTo(first[1]);
		assertThat(second[0]).isEqualTo(second[1]).isNotEqualTo(first[0]);
	}

}
