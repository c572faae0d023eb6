package io.hybridserver.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServletMappingTest {

	private ContainerFixture fixture;

	/** Every servlet answers "name|servletPath|pathInfo|match|pattern|matchValue". */
	private static void describe(String name, HttpServletRequest req, HttpServletResponse resp)
			throws java.io.IOException {
		HttpServletMapping m = req.getHttpServletMapping();
		resp.getWriter().print(name + "|" + req.getServletPath() + "|" + req.getPathInfo() + "|"
				+ m.getMappingMatch() + "|" + m.getPattern() + "|" + m.getMatchValue() + "|" + m.getServletName());
	}

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new ContainerFixture()
			.servlet("exact", (q, r) -> describe("exact", q, r), "/foo/bar")
			.servlet("prefix", (q, r) -> describe("prefix", q, r), "/foo/*")
			.servlet("longer", (q, r) -> describe("longer", q, r), "/foo/bar/baz/*")
			.servlet("ext", (q, r) -> describe("ext", q, r), "*.jsp")
			.servlet("root", (q, r) -> describe("root", q, r), "")
			.servlet("default", (q, r) -> describe("default", q, r), "/")
			.start();
	}

	@Test
	void exactMatchWinsOverPrefix() {
		assertThat(this.fixture.get("/foo/bar").bodyText()).isEqualTo("exact|/foo/bar|null|EXACT|/foo/bar|foo/bar|exact");
	}

	@Test
	void longestPrefixWins() {
		assertThat(this.fixture.get("/foo/bar/baz/x").bodyText())
			.isEqualTo("longer|/foo/bar/baz|/x|PATH|/foo/bar/baz/*|x|longer");
		assertThat(this.fixture.get("/foo/other/y").bodyText()).isEqualTo("prefix|/foo|/other/y|PATH|/foo/*|other/y|prefix");
		assertThat(this.fixture.get("/foo").bodyText()).isEqualTo("prefix|/foo|null|PATH|/foo/*||prefix");
	}

	@Test
	void prefixWinsOverExtension() {
		assertThat(this.fixture.get("/foo/page.jsp").bodyText()).startsWith("prefix|");
	}

	@Test
	void extensionMatch() {
		assertThat(this.fixture.get("/a/b/page.jsp").bodyText()).isEqualTo("ext|/a/b/page.jsp|null|EXTENSION|*.jsp|a/b/page|ext");
	}

	@Test
	void contextRootAndDefault() {
		assertThat(this.fixture.get("/").bodyText()).isEqualTo("root||/|CONTEXT_ROOT|||root");
		assertThat(this.fixture.get("/nothing/here").bodyText()).isEqualTo("default|/nothing/here|null|DEFAULT|/||default");
	}

	@Test
	void slashStarCatchesEverythingWithEmptyServletPath() throws Exception {
		ContainerFixture all = new ContainerFixture().servlet("all", (q, r) -> describe("all", q, r), "/*").start();
		assertThat(all.get("/x/y").bodyText()).isEqualTo("all||/x/y|PATH|/*|x/y|all");
	}

	@Test
	void contextPathIsStrippedBeforeMapping() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> r.getWriter()
			.print(q.getContextPath() + "|" + q.getServletPath() + "|" + q.getPathInfo() + "|" + q.getRequestURI()),
				"/api/*");
		app.deployment.setContextPath("/app");
		app.start();
		assertThat(app.get("/app/api/items?x=1").bodyText()).isEqualTo("/app|/api|/items|/app/api/items");
		assertThat(app.get("/other/api/items").status).isEqualTo(404);
	}

	@Test
	void noServletAndNoDefaultIs404() throws Exception {
		ContainerFixture app = new ContainerFixture().servlet("s", (q, r) -> { }, "/only").start();
		TestExchange exchange = app.get("/missing");
		assertThat(exchange.status).isEqualTo(404);
		assertThat(exchange.completed).isTrue();
	}

	@Test
	void conflictingMappingIsReportedAndNotApplied() throws Exception {
		java.util.List<java.util.Set<String>> conflicts = new java.util.ArrayList<>();
		ContainerFixture app = new ContainerFixture().servlet("one", (q, r) -> r.getWriter().print("one"), "/x")
			.startup((ctx) -> {
				ServletRegistration.Dynamic two = ctx.addServlet("two", ContainerFixture.servlet((q, r) -> { }));
				conflicts.add(two.addMapping("/x", "/y"));
			})
			.start();
		assertThat(conflicts.get(0)).containsExactly("/x");
		assertThat(app.get("/x").bodyText()).isEqualTo("one");
		assertThat(app.get("/y").status).isEqualTo(404);
	}

	@Test
	void pathParametersAreStrippedForMapping() {
		assertThat(this.fixture.get("/foo/bar;jsessionid=ABC").bodyText()).startsWith("exact|");
	}

}
