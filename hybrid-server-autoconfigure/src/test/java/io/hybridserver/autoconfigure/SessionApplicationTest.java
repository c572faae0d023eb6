package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.session.SessionTestApplication;
import io.hybridserver.apps.session.SessionTestApplication.SessionEvents;
import io.hybridserver.apps.springsession.SpringSessionTestApplication;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Container sessions in a Spring Boot application over real sockets: the session cookie as configured by
 * {@code server.servlet.session.cookie.*}, CookieSameSiteSupplier beans, changeSessionId, every session listener,
 * expiry, persistence across a restart, and Spring Session's filter taking over.
 */
@SpringBootTest(classes = SessionTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.servlet.session.cookie.name=HSID", "server.servlet.session.cookie.domain=example.test",
				"server.servlet.session.cookie.path=/", "server.servlet.session.cookie.http-only=true",
				"server.servlet.session.cookie.secure=true", "server.servlet.session.cookie.max-age=10m",
				"server.servlet.session.cookie.same-site=lax", "server.servlet.session.cookie.partitioned=true" })
class SessionApplicationTest {

	@LocalServerPort
	int port;

	@Autowired
	SessionEvents events;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	static HttpResponse<String> send(HttpClient client, int port, String method, String path, String cookie)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String cookie) throws Exception {
		return send(this.client, this.port, "GET", path, cookie);
	}

	/** The name=value part of the Set-Cookie for {@code name}, or {@code null}. */
	static String cookie(HttpResponse<?> response, String name) {
		return setCookies(response).stream()
			.filter((header) -> header.startsWith(name + "="))
			.map((header) -> header.substring(0, header.indexOf(';')))
			.findFirst()
			.orElse(null);
	}

	static List<String> setCookies(HttpResponse<?> response) {
		return response.headers().allValues("Set-Cookie");
	}

	@Test
	void theSessionCookieCarriesEveryConfiguredAttributeAndTheSessionLives() throws Exception {
		HttpResponse<String> first = get("/visits", null);
		assertThat(first.body()).isEqualTo("visits=1");
		String header = setCookies(first).get(0);
		assertThat(header).startsWith("HSID=").contains("; Max-Age=600", "; Domain=example.test", "; Path=/",
				"; Secure", "; HttpOnly", "; SameSite=Lax", "; Partitioned");
		String session = cookie(first, "HSID");
		assertThat(get("/visits", session).body()).isEqualTo("visits=2");
		HttpResponse<String> third = get("/visits", session);
		assertThat(third.body()).isEqualTo("visits=3");
		assertThat(setCookies(third)).isEmpty();
	}

	@Test
	void changeSessionIdKeepsTheSessionUnderANewIdAndTellsIdListeners() throws Exception {
		String session = cookie(get("/visits", null), "HSID");
		HttpResponse<String> changed = send(this.client, this.port, "POST", "/change-id", session);
		String[] ids = changed.body().split(" ");
		assertThat(ids[1]).isNotEqualTo(ids[0]);
		assertThat(cookie(changed, "HSID")).isEqualTo("HSID=" + ids[1]);
		assertThat(this.events.events).contains("changed " + ids[0] + " to " + ids[1]);
		assertThat(get("/visits", "HSID=" + ids[1]).body()).isEqualTo("visits=2");
		assertThat(get("/visits", session).body()).isEqualTo("visits=1");
	}

	@Test
	void listenersHearCreationAttributesBindingAndInvalidation() throws Exception {
		HttpResponse<String> created = get("/short", null);
		String id = created.body();
		String session = cookie(created, "HSID");
		assertThat(this.events.events).contains("created " + id, "bound bound", "added bound");
		send(this.client, this.port, "POST", "/logout", session);
		assertThat(this.events.events).contains("destroyed " + id, "unbound bound");
	}

	@Test
	void anIdleSessionExpiresAndItsListenersHearOfIt() throws Exception {
		HttpResponse<String> created = get("/short", null);
		String id = created.body();
		String session = cookie(created, "HSID");
		Thread.sleep(2_500);
		// Expired: the old id no longer finds it, and a fresh session starts.
		HttpResponse<String> after = get("/visits", session);
		assertThat(after.body()).isEqualTo("visits=1");
		assertThat(cookie(after, "HSID")).isNotEqualTo(session);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.events.contains("destroyed " + id));
	}

	@Test
	void cookieSameSiteSupplierBeansApplyToApplicationCookies() throws Exception {
		HttpResponse<String> response = get("/tracker", null);
		assertThat(setCookies(response)).anySatisfy((header) -> assertThat(header).startsWith("tracker=1")
			.contains("SameSite=Strict"));
		assertThat(setCookies(response)).anySatisfy((header) -> assertThat(header).startsWith("other=2")
			.doesNotContain("SameSite"));
	}

	@Test
	void aSecondSessionCookieIsTriedWhenTheFirstNamesNoLiveSession() throws Exception {
		String session = cookie(get("/visits", null), "HSID");
		// A browser sends the cookie with the more specific path first: here a stale one, then the live one.
		HttpResponse<String> both = get("/visits", "HSID=0123456789ABCDEF0123456789ABCDEF; " + session);
		assertThat(both.body()).isEqualTo("visits=2");
		assertThat(setCookies(both)).isEmpty();
		assertThat(get("/visits", session + "; HSID=0123456789ABCDEF0123456789ABCDEF").body()).isEqualTo("visits=3");
	}

	@Test
	void anOmittedSessionCookieSameSiteWinsOverACookieSameSiteSupplier() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SessionTestApplication.class)
			.properties("server.port=0", "server.servlet.session.cookie.same-site=omitted",
					"test.every-cookie-same-site-none=true")
			.run()) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			HttpResponse<String> response = send(this.client, port, "GET", "/visits", null);
			assertThat(setCookies(response)).singleElement()
				.satisfies((header) -> assertThat(header).startsWith("JSESSIONID=").doesNotContain("SameSite"));
			assertThat(setCookies(send(this.client, port, "GET", "/tracker", null)))
				.allSatisfy((header) -> assertThat(header).contains("SameSite"));
		}
	}

	@Test
	void sessionIdsInUrlsAreNeitherReadNorWrittenByDefault() throws Exception {
		HttpResponse<String> link = get("/link", null);
		assertThat(link.body()).isEqualTo("/visits?from=link url=false cookie=false");
		String id = cookie(link, "HSID").substring("HSID=".length());
		assertThat(get("/visits;hsid=" + id, null).body()).isEqualTo("visits=1");
		assertThat(get("/visits;HSID=" + id, null).body()).isEqualTo("visits=1");
	}

	@Test
	void urlTrackingRewritesLinksAndReadsTheIdFromThePath() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SessionTestApplication.class)
			.properties("server.port=0", "server.servlet.session.tracking-modes=url")
			.run()) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			HttpResponse<String> link = send(this.client, port, "GET", "/link", null);
			assertThat(setCookies(link)).isEmpty();
			String href = link.body().split(" ")[0];
			assertThat(href).matches("/visits;jsessionid=[0-9A-F]{32}\\?from=link");
			assertThat(send(this.client, port, "GET", href, null).body()).isEqualTo("visits=1");
			assertThat(send(this.client, port, "GET", href, null).body()).isEqualTo("visits=2");
			String again = send(this.client, port, "GET", href.replace("/visits", "/link"), null).body();
			assertThat(again).isEqualTo(href + " url=true cookie=false");
		}
	}

	@Test
	void withCookiesAndUrlsALinkIsRewrittenUntilTheCookieComesBack() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SessionTestApplication.class)
			.properties("server.port=0", "server.servlet.session.tracking-modes=cookie,url")
			.run()) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			HttpResponse<String> first = send(this.client, port, "GET", "/link", null);
			String session = cookie(first, "JSESSIONID");
			assertThat(first.body()).isEqualTo("/visits;jsessionid=" + session.substring("JSESSIONID=".length())
					+ "?from=link url=false cookie=false");
			assertThat(send(this.client, port, "GET", "/link", session).body())
				.isEqualTo("/visits?from=link url=false cookie=true");
		}
	}

	@Test
	void sslTrackingKeepsTheSessionOfTheTlsSessionWithoutACookie() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SessionTestApplication.class)
			.properties("server.port=0", "server.servlet.session.tracking-modes=ssl",
					"server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
					"server.ssl.enabled-protocols=TLSv1.2")
			.run()) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			HttpClient tls = TestTls.httpClient(TestTls.clientContext(null));
			HttpResponse<String> first = TestTls.get(tls, port, "/visits");
			assertThat(first.body()).isEqualTo("visits=1");
			assertThat(setCookies(first)).isEmpty();
			assertThat(TestTls.get(tls, port, "/visits").body()).isEqualTo("visits=2");
		}
	}

	@Test
	void sslTrackingCannotBeCombinedWithOtherModes() {
		assertThatThrownBy(() -> new SpringApplicationBuilder(SessionTestApplication.class)
			.properties("server.port=0", "server.servlet.session.tracking-modes=ssl,cookie")
			.run()
			.close()).hasStackTraceContaining("SSL session tracking cannot be combined");
	}

	@Test
	void sessionsSurviveARestartWhenPersistent(@TempDir Path storeDir) throws Exception {
		String[] properties = { "server.port=0", "server.servlet.session.persistent=true",
				"server.servlet.session.store-dir=" + storeDir };
		String session;
		try (ConfigurableApplicationContext first = new SpringApplicationBuilder(SessionTestApplication.class)
			.properties(properties)
			.run()) {
			int port = Integer.parseInt(first.getEnvironment().getProperty("local.server.port"));
			session = cookie(send(this.client, port, "GET", "/visits", null), "JSESSIONID");
			assertThat(send(this.client, port, "GET", "/visits", session).body()).isEqualTo("visits=2");
		}
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(SessionTestApplication.class)
			.properties(properties)
			.run()) {
			int port = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
			assertThat(send(this.client, port, "GET", "/visits", session).body()).isEqualTo("visits=3");
		}
	}

	@Test
	void springSessionsFilterReplacesTheContainerSession() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringSessionTestApplication.class)
			.properties("server.port=0")
			.run()) {
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			HttpResponse<String> first = send(this.client, port, "GET", "/visits", null);
			assertThat(first.body()).startsWith("visits=1 ").doesNotContain("StandardSession");
			// Spring Session borrows the container's cookie name (from SessionCookieConfig) for its own ids,
			// which are Base64-encoded UUIDs, not the container's 32 hex characters.
			String session = cookie(first, "JSESSIONID");
			assertThat(session).isNotNull().doesNotMatch("JSESSIONID=[0-9A-F]{32}");
			assertThat(send(this.client, port, "GET", "/visits", session).body()).startsWith("visits=2 ");
		}
	}

}
