package io.hybridserver.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;

class FilterChainTest {

	private static Filter recording(StringBuilder log, String name) {
		return (req, res, chain) -> {
			log.append(name).append(':').append(req.getDispatcherType()).append(';');
			chain.doFilter(req, res);
		};
	}

	@Test
	void urlPatternFiltersComeBeforeServletNameFiltersInRegistrationOrder() throws Exception {
		StringBuilder log = new StringBuilder();
		ContainerFixture app = new ContainerFixture()
			.servlet("target", (q, r) -> log.append("servlet"), "/api/*")
			.startup((ctx) -> {
				ctx.addFilter("byName", recording(log, "byName"))
					.addMappingForServletNames(null, false, "target");
				ctx.addFilter("all", recording(log, "all")).addMappingForUrlPatterns(null, false, "/*");
				ctx.addFilter("api", recording(log, "api")).addMappingForUrlPatterns(null, false, "/api/*");
				ctx.addFilter("json", recording(log, "json")).addMappingForUrlPatterns(null, false, "*.json");
				ctx.addFilter("other", recording(log, "other")).addMappingForUrlPatterns(null, false, "/other/*");
				ctx.addFilter("first", recording(log, "first")).addMappingForUrlPatterns(null, false, "/*");
				ctx.getFilterRegistration("first"); // present
			})
			.start();
		app.get("/api/x.json");
		assertThat(log).hasToString("all:REQUEST;api:REQUEST;json:REQUEST;first:REQUEST;byName:REQUEST;servlet");
	}

	@Test
	void isMatchAfterFalseGoesBeforeMatchAfterTrue() throws Exception {
		StringBuilder log = new StringBuilder();
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> log.append("servlet"), "/")
			.startup((ctx) -> {
				ctx.addFilter("late", recording(log, "late")).addMappingForUrlPatterns(null, true, "/*");
				ctx.addFilter("early", recording(log, "early")).addMappingForUrlPatterns(null, false, "/*");
			})
			.start();
		app.get("/x");
		assertThat(log).hasToString("early:REQUEST;late:REQUEST;servlet");
	}

	@Test
	void forwardRunsForwardFiltersAndExposesOriginalPaths() throws Exception {
		StringBuilder log = new StringBuilder();
		ContainerFixture app = new ContainerFixture()
			.servlet("front", (q, r) -> q.getRequestDispatcher("/view/page?extra=1").forward(q, r), "/front/*")
			.servlet("view", (q, r) -> r.getWriter().print(q.getDispatcherType() + "|" + q.getRequestURI() + "|"
					+ q.getServletPath() + "|" + q.getPathInfo() + "|" + q.getQueryString() + "|"
					+ q.getParameter("extra") + "," + q.getParameter("orig") + "|"
					+ q.getAttribute("jakarta.servlet.forward.request_uri") + "|"
					+ q.getAttribute("jakarta.servlet.forward.servlet_path")), "/view/*")
			.startup((ctx) -> {
				ctx.addFilter("req", recording(log, "req")).addMappingForUrlPatterns(null, false, "/*");
				ctx.addFilter("fwd", recording(log, "fwd"))
					.addMappingForUrlPatterns(EnumSet.of(DispatcherType.FORWARD), false, "/view/*");
			})
			.start();
		TestExchange exchange = app.get("/front/a?orig=2");
		assertThat(exchange.bodyText())
			.isEqualTo("FORWARD|/view/page|/view|/page|extra=1|1,2|/front/a|/front");
		assertThat(log).hasToString("req:REQUEST;fwd:FORWARD;");
	}

	@Test
	void includeKeepsPathsAndIgnoresHeaderChanges() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("main", (q, r) -> {
			r.setContentType("text/plain");
			r.getWriter().print("[");
			q.getRequestDispatcher("/part").include(q, r);
			r.getWriter().print("]" + q.getAttribute("jakarta.servlet.include.request_uri"));
		}, "/main").servlet("part", (q, r) -> {
			r.setStatus(500);
			r.setHeader("X-Included", "yes");
			r.getWriter().print(q.getDispatcherType() + "|" + q.getServletPath() + "|"
					+ q.getAttribute("jakarta.servlet.include.servlet_path"));
		}, "/part").start();
		TestExchange exchange = app.get("/main");
		assertThat(exchange.status).isEqualTo(200);
		assertThat(exchange.header("X-Included")).isNull();
		assertThat(exchange.bodyText()).isEqualTo("[INCLUDE|/main|/part]null");
	}

	@Test
	void namedDispatcherForwardsToServletByName() throws Exception {
		ContainerFixture app = new ContainerFixture()
			.servlet("front", (q, r) -> q.getServletContext().getNamedDispatcher("hidden").forward(q, r), "/f")
			.servlet("hidden", (q, r) -> r.getWriter().print("hidden:" + q.getDispatcherType()), "/hidden-path")
			.start();
		assertThat(app.get("/f").bodyText()).isEqualTo("hidden:FORWARD");
	}

	@Test
	void wrappedRequestsAreAcceptedByTheDispatcher() throws Exception {
		ContainerFixture app = new ContainerFixture()
			.servlet("front", (q, r) -> q.getRequestDispatcher("/b")
				.forward(new jakarta.servlet.http.HttpServletRequestWrapper(q),
						new jakarta.servlet.http.HttpServletResponseWrapper(r)), "/a")
			.servlet("b", (q, r) -> r.getWriter().print("b"), "/b")
			.start();
		assertThat(app.get("/a").bodyText()).isEqualTo("b");
	}

}
