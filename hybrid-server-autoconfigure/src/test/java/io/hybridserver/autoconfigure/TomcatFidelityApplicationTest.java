package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.fidelity.FidelityTestApplication;
import io.hybridserver.testsupport.RawHttpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a user moving from Tomcat would notice a difference (issue 19), each compared with what Tomcat does: the
 * context root redirect, malformed and invalid parameters, Boot's error pages and the attributes they read,
 * {@code OPTIONS *}. Real sockets, a real Spring Boot application under the context path {@code /api}.
 */
@SpringBootTest(classes = FidelityTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "server.servlet.context-path=/api")
class TomcatFidelityApplicationTest {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	private HttpResponse<String> postForm(String body) throws Exception {
		return send(request("/api/form").header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.ISO_8859_1))));
	}

	@Test
	void theContextPathItselfIsRedirectedToTheContextRootWithItsQuery() throws Exception {
		HttpResponse<String> response = send(request("/api?a=1&b=%20"));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location")).hasValue("/api/?a=1&b=%20");
		assertThat(send(request("/api/")).body()).isEqualTo("root");
	}

	@Test
	void theContextPathGoesToTheApplicationWhenTheRedirectIsOff() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FidelityTestApplication.class)
			.properties("server.port=0", "server.servlet.context-path=/api", "server.hybrid.redirect-context-root=false")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = this.client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isNotEqualTo(302);
			assertThat(response.headers().firstValue("Location")).isEmpty();
		}
	}

	@Test
	void aMalformedQueryEscapeRendersTheApplicationsErrorPage() throws Exception {
		// A raw socket: the JDK client refuses to send such a URI.
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			RawHttpConnection.Response html = connection
				.send("GET /api/owners?lastName=%ZZ HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n")
				.readResponse();
			assertThat(html.status()).isEqualTo(400);
			assertThat(html.header("Content-Type")).startsWith("text/html");
			assertThat(html.bodyText()).contains("Whitelabel Error Page");
			RawHttpConnection.Response json = connection
				.send("GET /api/owners?lastName=%ZZ HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n")
				.readResponse();
			assertThat(json.status()).isEqualTo(400);
			assertThat(json.bodyText()).contains("\"status\":400", "\"path\":\"/api/owners\"");
		}
	}

	@Test
	void invalidUtf8InTheQueryIsA400() throws Exception {
		assertThat(send(request("/api/owners?lastName=%C3%28").header("Accept", "application/json")).statusCode())
			.isEqualTo(400);
		assertThat(send(request("/api/owners?lastName=%C3%A9")).body()).isEqualTo("owners \u00e9");
	}

	@Test
	void anEmptyParameterNameIsA400() throws Exception {
		assertThat(send(request("/api/owners?=x").header("Accept", "application/json")).statusCode()).isEqualTo(400);
		assertThat(postForm("a=1&=2").statusCode()).isEqualTo(400);
		// Empty pairs are no parameter at all, as on Tomcat.
		assertThat(send(request("/api/owners?&&lastName=x&")).body()).isEqualTo("owners x");
	}

	@Test
	void invalidUtf8InAFormIsA400() throws Exception {
		assertThat(postForm("name=\u00c3(").statusCode()).isEqualTo(400);
		assertThat(postForm("name=%C3%28").statusCode()).isEqualTo(400);
		assertThat(postForm("name=%C3%A9").body()).isEqualTo("form [name]");
	}

	@Test
	void invalidParametersAreKeptLenientlyWhenStrictnessIsOff() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FidelityTestApplication.class)
			.properties("server.port=0", "server.hybrid.reject-invalid-parameters=false")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = this.client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/owners?lastName=%C3%28&=y"))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("owners \ufffd(");
		}
	}

	@Test
	void anErrorPageForAPathWithAFileExtensionCarriesSpringsDownloadGuard() throws Exception {
		HttpResponse<String> response = send(request("/api/x/missing.css").header("Accept", "application/json"));
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Disposition")).hasValue("inline;filename=f.txt");
		assertThat(response.body()).contains("\"path\":\"/api/x/missing.css\"");
	}

	@Test
	void optionsStarListsTraceWhenTheServerAllowsIt() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(FidelityTestApplication.class)
			.properties("server.port=0", "server.hybrid.allow-trace=true")
			.run();
				RawHttpConnection connection = new RawHttpConnection(
						Integer.parseInt(context.getEnvironment().getProperty("local.server.port")))) {
			assertThat(connection.send("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse().header("Allow"))
				.isEqualTo("GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE");
		}
	}

	@Test
	void optionsStarIsAnsweredByTheContainer() throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			RawHttpConnection.Response response = connection
				.send("OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n")
				.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("Allow")).isEqualTo("GET, HEAD, POST, PUT, DELETE, OPTIONS");
			assertThat(response.header("Content-Length")).isEqualTo("0");
			// The connection stays usable.
			assertThat(connection.send("GET /api/ HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse().bodyText())
				.isEqualTo("root");
		}
	}

}
