package io.hybridserver.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionTest {

	private final List<String> events = new ArrayList<>();

	private ContainerFixture app;

	@BeforeEach
	void setUp() throws Exception {
		this.app = new ContainerFixture().servlet("s", (q, r) -> {
			String action = q.getParameter("do");
			HttpSession session = q.getSession("create".equals(action));
			if ("invalidate".equals(action) && session != null) {
				session.invalidate();
				session = null;
			}
			if ("change".equals(action) && session != null) {
				q.changeSessionId();
			}
			if ("short".equals(action) && session != null) {
				session.setMaxInactiveInterval(1);
			}
			if (session != null) {
				Integer count = (Integer) session.getAttribute("count");
				session.setAttribute("count", (count == null) ? 1 : count + 1);
			}
			r.getWriter().print((session == null) ? "none" : session.getId() + "|" + session.isNew() + "|"
					+ session.getAttribute("count") + "|" + q.isRequestedSessionIdValid());
		}, "/s").startup((ctx) -> ctx.addListener(new HttpSessionListener() {
			@Override
			public void sessionCreated(HttpSessionEvent se) {
				SessionTest.this.events.add("created");
			}

			@Override
			public void sessionDestroyed(HttpSessionEvent se) {
				SessionTest.this.events.add("destroyed:" + se.getSession().getAttribute("count"));
			}
		}));
		this.app.deployment.setSessionCookieSameSite("Lax");
		this.app.deployment.setContextPath("/app");
		this.app.start();
	}

	private TestExchange get(String target, String sessionId) {
		TestExchange exchange = TestExchange.get(target);
		if (sessionId != null) {
			exchange.header("Cookie", "other=1; JSESSIONID=" + sessionId);
		}
		return this.app.run(exchange);
	}

	@Test
	void sessionIsCreatedWithCookieAndFoundAgain() {
		TestExchange first = get("/app/s?do=create", null);
		String[] parts = first.bodyText().split("\\|");
		String id = parts[0];
		assertThat(id).matches("[0-9A-F]{32}");
		assertThat(parts[1]).isEqualTo("true");
		assertThat(first.header("Set-Cookie"))
			.isEqualTo("JSESSIONID=" + id + "; Path=/app; HttpOnly; SameSite=Lax");
		assertThat(this.events).containsExactly("created");
		TestExchange second = get("/app/s", id);
		assertThat(second.bodyText()).isEqualTo(id + "|false|2|true");
		assertThat(second.header("Set-Cookie")).isNull();
	}

	@Test
	void noSessionWithoutCreateOrWithUnknownId() {
		assertThat(get("/app/s", null).bodyText()).isEqualTo("none");
		assertThat(get("/app/s", "0123456789ABCDEF0123456789ABCDEF").bodyText()).isEqualTo("none");
	}

	@Test
	void invalidateEndsTheSession() {
		String id = get("/app/s?do=create", null).bodyText().split("\\|")[0];
		assertThat(get("/app/s?do=invalidate", id).bodyText()).isEqualTo("none");
		assertThat(this.events).containsExactly("created", "destroyed:1");
		assertThat(get("/app/s", id).bodyText()).isEqualTo("none");
	}

	@Test
	void changeSessionIdKeepsAttributesAndSendsNewCookie() {
		String id = get("/app/s?do=create", null).bodyText().split("\\|")[0];
		TestExchange changed = get("/app/s?do=change", id);
		String newId = changed.bodyText().split("\\|")[0];
		assertThat(newId).isNotEqualTo(id);
		assertThat(changed.header("Set-Cookie")).startsWith("JSESSIONID=" + newId + ";");
		assertThat(get("/app/s", id).bodyText()).isEqualTo("none");
		assertThat(get("/app/s", newId).bodyText()).startsWith(newId + "|false|3|");
	}

	@Test
	void idleSessionExpires() throws Exception {
		String id = get("/app/s?do=create", null).bodyText().split("\\|")[0];
		get("/app/s?do=short", id);
		Thread.sleep(1100);
		assertThat(get("/app/s", id).bodyText()).isEqualTo("none");
		assertThat(this.events).containsExactly("created", "destroyed:2");
	}

	@Test
	void secureRequestGetsSecureSessionCookie() {
		TestExchange exchange = TestExchange.get("/app/s?do=create").secure();
		this.app.run(exchange);
		assertThat(exchange.header("Set-Cookie")).contains("; Secure");
	}

}
