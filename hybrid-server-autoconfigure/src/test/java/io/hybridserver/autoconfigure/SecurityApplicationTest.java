package io.hybridserver.autoconfigure;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.security.SecurityTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Security application end to end, as a browser would use it: redirect to the login page, log in with the
 * CSRF token, session id changed on login (session fixation protection), a Thymeleaf form carrying the CSRF token,
 * remember-me, logout.
 */
@SpringBootTest(classes = SecurityTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.autoconfigure.exclude=")
class SecurityApplicationTest {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient browser = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.browser.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> postForm(String path, String form) throws Exception {
		return this.browser.send(HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String csrf(HttpResponse<String> page) {
		Matcher matcher = CSRF.matcher(page.body());
		assertThat(matcher.find()).as(page.body()).isTrue();
		return URLEncoder.encode(matcher.group(1), StandardCharsets.UTF_8);
	}

	private String cookie(String name) {
		return this.cookies.getCookieStore().getCookies().stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	@Test
	void formLoginWithCsrfRememberMeAndLogout() throws Exception {
		HttpResponse<String> protectedPage = get("/me");
		assertThat(protectedPage.statusCode()).isEqualTo(302);
		assertThat(protectedPage.headers().firstValue("Location")).hasValue(uri("/login").toString());

		HttpResponse<String> loginPage = get("/login");
		assertThat(loginPage.statusCode()).isEqualTo(200);
		String sessionBeforeLogin = cookie("JSESSIONID");
		assertThat(sessionBeforeLogin).isNotNull();

		HttpResponse<String> forged = postForm("/login", "username=user&password=secret&_csrf=forged");
		assertThat(forged.statusCode()).isEqualTo(403);

		HttpResponse<String> login = postForm("/login",
				"username=user&password=secret&remember-me=on&_csrf=" + csrf(loginPage));
		assertThat(login.statusCode()).isEqualTo(302);
		assertThat(login.headers().firstValue("Location")).hasValueSatisfying(
				(location) -> assertThat(location).startsWith(uri("/me").toString()));
		assertThat(cookie("JSESSIONID")).as("session fixation protection changes the id")
			.isNotNull()
			.isNotEqualTo(sessionBeforeLogin);
		assertThat(cookie("remember-me")).isNotNull();

		HttpResponse<String> me = get(URI.create(login.headers().firstValue("Location").get()).getRawPath());
		assertThat(me.statusCode()).isEqualTo(200);
		assertThat(me.body()).isEqualTo("hello user");

		// Remember-me alone (a new browser session) logs the user in again.
		String rememberMe = cookie("remember-me");
		HttpResponse<String> remembered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/me"))
			.header("Cookie", "remember-me=" + rememberMe)
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(remembered.statusCode()).isEqualTo(200);
		assertThat(remembered.body()).isEqualTo("hello user");

		// A Thymeleaf page whose form carries the CSRF token, posted back, then rendered with the session's note.
		HttpResponse<String> notePage = get("/note");
		assertThat(notePage.statusCode()).isEqualTo(200);
		assertThat(notePage.body()).contains("<p id=\"user\">user</p>");
		HttpResponse<String> saved = postForm("/note", "text=h%C3%A9llo&_csrf=" + csrf(notePage));
		assertThat(saved.statusCode()).isEqualTo(302);
		assertThat(get("/note").body()).contains("<p id=\"note\">héllo</p>");

		HttpResponse<String> logoutPage = get("/logout");
		assertThat(logoutPage.statusCode()).isEqualTo(200);
		HttpResponse<String> logout = postForm("/logout", "_csrf=" + csrf(logoutPage));
		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(logout.headers().firstValue("Location")).hasValue(uri("/login?logout").toString());
		assertThat(logout.headers().allValues("Set-Cookie")).anySatisfy(
				(header) -> assertThat(header).startsWith("remember-me=").contains("Max-Age=0"));

		HttpResponse<String> afterLogout = get("/me");
		assertThat(afterLogout.statusCode()).isEqualTo(302);
	}

	@Test
	void publicPagesNeedNoLogin() throws Exception {
		HttpResponse<String> response = get("/public");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("public");
	}

}
