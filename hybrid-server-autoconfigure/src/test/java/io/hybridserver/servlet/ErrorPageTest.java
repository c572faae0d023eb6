package io.hybridserver.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

class ErrorPageTest {

	/** Echoes the error attributes the way Spring Boot's BasicErrorController reads them. */
	private static void errorPage(HttpServletRequest q, HttpServletResponse r) throws IOException {
		Object exception = q.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
		r.setContentType("text/plain");
		r.getWriter().print("error|" + q.getDispatcherType() + "|" + q.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)
				+ "|" + q.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + "|"
				+ q.getAttribute(RequestDispatcher.ERROR_MESSAGE) + "|"
				+ q.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME) + "|"
				+ q.getAttribute(RequestDispatcher.ERROR_METHOD) + "|"
				+ q.getAttribute(RequestDispatcher.ERROR_QUERY_STRING) + "|"
				+ ((exception != null) ? exception.getClass().getSimpleName() : null) + "|" + q.getRequestURI());
	}

	private ContainerFixture app() {
		return new ContainerFixture().servlet("error", ErrorPageTest::errorPage, "/error");
	}

	@Test
	void sendErrorDispatchesToTheGlobalPageWithAttributes() throws Exception {
		ContainerFixture app = app().servlet("s", (q, r) -> {
			r.getWriter().print("discarded");
			r.sendError(403, "no way");
		}, "/secret");
		app.deployment.setGlobalErrorPage("/error");
		app.start();
		TestExchange exchange = app.get("/secret?a=b");
		assertThat(exchange.status).isEqualTo(403);
		assertThat(exchange.bodyText()).isEqualTo("error|ERROR|403|/secret|no way|s|GET|a=b|null|/error");
		assertThat(exchange.contentLength).isEqualTo(exchange.written.size());
	}

	@Test
	void exceptionPicksClosestSuperclassPageAndUnwrapsServletException() throws Exception {
		ContainerFixture app = app().servlet("io", (q, r) -> {
			throw new ServletException("wrapped", new FileNotFoundException("gone"));
		}, "/io").servlet("rt", (q, r) -> {
			throw new IllegalArgumentException("bad");
		}, "/rt").servlet("ioPage", (q, r) -> r.getWriter().print("io-page"), "/io-page");
		app.deployment.addErrorPage(IOException.class, "/io-page");
		app.deployment.addErrorPage(RuntimeException.class, "/error");
		// Spec 10.9.2: the ServletException itself is matched first, its root cause only when nothing fits.
		app.deployment.addErrorPage(Error.class, "/nowhere");
		app.start();
		TestExchange io = app.get("/io");
		assertThat(io.status).isEqualTo(500);
		assertThat(io.bodyText()).isEqualTo("io-page");
		TestExchange rt = app.get("/rt");
		assertThat(rt.status).isEqualTo(500);
		assertThat(rt.bodyText()).isEqualTo("error|ERROR|500|/rt|bad|rt|GET|null|IllegalArgumentException|/error");
	}

	@Test
	void statusPageBeatsGlobalPage() throws Exception {
		ContainerFixture app = app().servlet("nf", (q, r) -> r.getWriter().print("not-found-page"), "/404.html");
		app.deployment.addErrorPage(404, "/404.html");
		app.deployment.setGlobalErrorPage("/error");
		app.start();
		TestExchange exchange = app.get("/missing");
		assertThat(exchange.status).isEqualTo(404);
		assertThat(exchange.bodyText()).isEqualTo("not-found-page");
	}

	@Test
	void withoutAPageTheAnswerIsMinimalAndHasNoStackTrace() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> {
			throw new IllegalStateException("secret detail");
		}, "/s").start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.status).isEqualTo(500);
		assertThat(exchange.bodyText()).isEqualTo("500 Internal Server Error\n");
		assertThat(exchange.header("Content-Type")).startsWith("text/plain");
	}

	@Test
	void failingErrorPageFallsBackToMinimalAnswer() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> r.sendError(418), "/s")
			.servlet("error", (q, r) -> {
				throw new IllegalStateException("error page broke");
			}, "/error");
		app.deployment.setGlobalErrorPage("/error");
		app.start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.status).isEqualTo(418);
		assertThat(exchange.bodyText()).isEqualTo("418 Client Error\n");
	}

	@Test
	void exceptionAfterCommitAbortsTheExchange() throws Exception {
		ContainerFixture app = app().servlet("s", (q, r) -> {
			r.getWriter().print("partial");
			r.flushBuffer();
			throw new IllegalStateException("too late");
		}, "/s");
		app.deployment.setGlobalErrorPage("/error");
		app.start();
		TestExchange exchange = app.get("/s");
		assertThat(exchange.aborted).isNotNull();
		assertThat(exchange.completed).isFalse();
		assertThat(exchange.bodyText()).isEqualTo("partial");
	}

	@Test
	void errorFiltersRunOnlyForErrorDispatch() throws Exception {
		StringBuilder log = new StringBuilder();
		Filter errorOnly = (req, res, chain) -> {
			log.append("E:").append(req.getDispatcherType()).append(';');
			chain.doFilter(req, res);
		};
		ContainerFixture app = app().servlet("s", (q, r) -> r.sendError(500), "/s").startup((ctx) -> ctx
			.addFilter("errorOnly", errorOnly)
			.addMappingForUrlPatterns(EnumSet.of(DispatcherType.ERROR), false, "/*"));
		app.deployment.setGlobalErrorPage("/error");
		app.start();
		app.get("/s");
		assertThat(log).hasToString("E:ERROR;");
	}

	@Test
	void tooManyParametersThroughErrorPageIs400() throws Exception {
		ContainerFixture app = app().servlet("s", (q, r) -> q.getParameterMap(), "/s");
		app.deployment.setGlobalErrorPage("/error");
		app.deployment.setMaxParameterCount(1);
		app.start();
		TestExchange exchange = app.get("/s?a=1&b=2");
		assertThat(exchange.status).isEqualTo(400);
		assertThat(exchange.bodyText()).startsWith("error|ERROR|400|/s|");
	}

}
