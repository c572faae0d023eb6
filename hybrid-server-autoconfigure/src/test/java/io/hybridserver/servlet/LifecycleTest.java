package io.hybridserver.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import org.junit.jupiter.api.Test;

class LifecycleTest {

	private final List<String> events = new ArrayList<>();

	private ServletContextListener contextListener(String name) {
		return new ServletContextListener() {
			@Override
			public void contextInitialized(ServletContextEvent sce) {
				LifecycleTest.this.events.add("init:" + name);
			}

			@Override
			public void contextDestroyed(ServletContextEvent sce) {
				LifecycleTest.this.events.add("destroy:" + name);
			}
		};
	}

	private HttpServlet servlet(String name) {
		return new HttpServlet() {
			@Override
			public void init() {
				LifecycleTest.this.events.add("servlet-init:" + name + ":" + getInitParameter("p"));
			}

			@Override
			public void destroy() {
				LifecycleTest.this.events.add("servlet-destroy:" + name);
			}
		};
	}

	private Filter filter(String name) {
		return new Filter() {
			@Override
			public void init(FilterConfig config) {
				LifecycleTest.this.events.add("filter-init:" + name);
			}

			@Override
			public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
					throws java.io.IOException, ServletException {
				chain.doFilter(req, res);
			}

			@Override
			public void destroy() {
				LifecycleTest.this.events.add("filter-destroy:" + name);
			}
		};
	}

	@Test
	void startOrderFollowsTomcatAndStopReverses() throws Exception {
		ContainerFixture app = new ContainerFixture().startup((ctx) -> {
			this.events.add("startup");
			ctx.addListener(contextListener("a"));
			ctx.addListener(contextListener("b"));
			ctx.addFilter("f", filter("f")).addMappingForUrlPatterns(null, false, "/*");
			var late = ctx.addServlet("late", servlet("late"));
			late.setLoadOnStartup(5);
			late.setInitParameter("p", "1");
			late.addMapping("/late");
			var early = ctx.addServlet("early", servlet("early"));
			early.setLoadOnStartup(0);
			early.addMapping("/early");
			ctx.addServlet("lazy", servlet("lazy")).addMapping("/lazy");
		}).start();
		assertThat(this.events).containsExactly("startup", "init:a", "init:b", "filter-init:f",
				"servlet-init:early:null", "servlet-init:late:1");
		this.events.clear();
		app.get("/lazy");
		app.get("/lazy");
		assertThat(this.events).containsExactly("servlet-init:lazy:null");
		this.events.clear();
		app.container.stop();
		app.container.stop();
		assertThat(this.events).containsExactly("servlet-destroy:lazy", "servlet-destroy:early",
				"servlet-destroy:late", "filter-destroy:f", "destroy:b", "destroy:a");
	}

	@Test
	void registrationAndConfigurationAfterStartThrow() throws Exception {
		ContainerFixture app = new ContainerFixture().startup((ctx) -> ctx.setInitParameter("k", "v")).start();
		ServletContext ctx = app.container.servletContext();
		assertThat(ctx.getInitParameter("k")).isEqualTo("v");
		assertThatIllegalStateException().isThrownBy(() -> ctx.setInitParameter("k2", "v"));
		assertThatIllegalStateException().isThrownBy(() -> ctx.addServlet("x", servlet("x")));
		assertThatIllegalStateException().isThrownBy(() -> ctx.addFilter("x", filter("x")));
		assertThatIllegalStateException().isThrownBy(() -> ctx.addListener(contextListener("x")));
		assertThatIllegalStateException().isThrownBy(() -> ctx.getSessionCookieConfig().setName("X"));
		assertThatIllegalStateException().isThrownBy(() -> ctx.setSessionTimeout(5));
	}

	@Test
	void contextBasicsBeforeStart() throws Exception {
		ContainerFixture app = new ContainerFixture();
		app.deployment.getInitParameters().put("fromDeployment", "1");
		app.deployment.setServerInfo("hybrid-server/test");
		app.startup((ctx) -> {
			assertThat(ctx.setInitParameter("fromDeployment", "2")).isFalse();
			assertThat(ctx.setInitParameter("new", "3")).isTrue();
			assertThat(ctx.getMajorVersion()).isEqualTo(6);
			assertThat(ctx.getMinorVersion()).isEqualTo(1);
			assertThat(ctx.getMimeType("/a/b.css")).isEqualTo("text/css");
			assertThat(ctx.getMimeType("x.WOFF2")).isEqualTo("font/woff2");
			assertThat(ctx.getMimeType("noext")).isNull();
			assertThat(ctx.getServerInfo()).isEqualTo("hybrid-server/test");
			assertThat(ctx.getRealPath("/x")).isNull();
			assertThat(ctx.addServlet("dup", servlet("a"))).isNotNull();
			assertThat(ctx.addServlet("dup", servlet("b"))).isNull();
			assertThat(ctx.getSessionCookieConfig().getName()).isEqualTo("JSESSIONID");
		});
		app.start();
		assertThat(app.container.servletContext().getInitParameter("fromDeployment")).isEqualTo("1");
		assertThat(app.container.servletContext().getInitParameter("new")).isEqualTo("3");
	}

	@Test
	void contextAttributesFireListenerEvents() throws Exception {
		List<String> seen = new ArrayList<>();
		ContainerFixture app = new ContainerFixture().startup((ctx) -> ctx
			.addListener(new jakarta.servlet.ServletContextAttributeListener() {
				@Override
				public void attributeAdded(jakarta.servlet.ServletContextAttributeEvent e) {
					seen.add("added:" + e.getName() + "=" + e.getValue());
				}

				@Override
				public void attributeReplaced(jakarta.servlet.ServletContextAttributeEvent e) {
					seen.add("replaced:" + e.getName() + "=" + e.getValue());
				}

				@Override
				public void attributeRemoved(jakarta.servlet.ServletContextAttributeEvent e) {
					seen.add("removed:" + e.getName() + "=" + e.getValue());
				}
			})).start();
		ServletContext ctx = app.container.servletContext();
		ctx.setAttribute("a", 1);
		ctx.setAttribute("a", 2);
		ctx.setAttribute("a", null);
		assertThat(seen).containsExactly("added:a=1", "replaced:a=1", "removed:a=2");
	}

	@Test
	void requestListenersWrapEachRequest() throws Exception {
		ContainerFixture app = new ContainerFixture()
			.servlet("s", (q, r) -> this.events.add("service"), "/s")
			.startup((ctx) -> ctx.addListener(new ServletRequestListener() {
				@Override
				public void requestInitialized(ServletRequestEvent sre) {
					LifecycleTest.this.events.add("req-init");
				}

				@Override
				public void requestDestroyed(ServletRequestEvent sre) {
					LifecycleTest.this.events.add("req-destroy");
				}
			}))
			.start();
		app.get("/s");
		assertThat(this.events).containsExactly("req-init", "service", "req-destroy");
	}

	@Test
	void unavailableServletAnswers503AndFailingInitAnswers500() throws Exception {
		ContainerFixture app = new ContainerFixture().startup((ctx) -> {
			ctx.addServlet("gone", new HttpServlet() {
				@Override
				public void init() throws ServletException {
					throw new UnavailableException("down for maintenance");
				}
			}).addMapping("/gone");
			ctx.addServlet("broken", new HttpServlet() {
				@Override
				public void init() throws ServletException {
					throw new ServletException("broken init");
				}
			}).addMapping("/broken");
		}).start();
		assertThat(app.get("/gone").status).isEqualTo(503);
		assertThat(app.get("/broken").status).isEqualTo(500);
	}

	@Test
	void failingLoadOnStartupServletFailsStart() {
		ContainerFixture app = new ContainerFixture().startup((ctx) -> {
			ctx.addListener(contextListener("a"));
			var reg = ctx.addServlet("bad", new HttpServlet() {
				@Override
				public void init() throws ServletException {
					throw new ServletException("no");
				}
			});
			reg.setLoadOnStartup(1);
			reg.addMapping("/bad");
		});
		org.assertj.core.api.Assertions.assertThatExceptionOfType(ServletException.class).isThrownBy(app::start);
		assertThat(this.events).containsExactly("init:a", "destroy:a");
	}

	@Test
	void servletClassNameRegistrationIsInstantiatedLazily() throws Exception {
		ContainerFixture app = new ContainerFixture().startup(
				(ctx) -> ctx.addServlet("byName", EchoServlet.class.getName()).addMapping("/echo")).start();
		assertThat(app.get("/echo").bodyText()).isEqualTo("echo");
	}

	/** Instantiated by class name through the context's class loader. */
	public static class EchoServlet extends HttpServlet {

		@Override
		protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
				throws java.io.IOException {
			resp.getWriter().print("echo");
		}

	}

}
