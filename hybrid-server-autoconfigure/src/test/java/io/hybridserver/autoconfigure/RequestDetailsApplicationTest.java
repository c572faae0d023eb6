package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.details.RequestDetailsApplication;
import io.hybridserver.testsupport.RawHttpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the request presents itself: from the Host header by default; from trusted proxies' {@code X-Forwarded-*} or
 * {@code Forwarded} headers with {@code server.forward-headers-strategy=native} (and only from trusted ones); through
 * Spring's filter with {@code framework}; {@code server.servlet.encoding.*}; and TRACE, refused unless
 * {@code server.hybrid.allow-trace} is set.
 */
class RequestDetailsApplicationTest {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(RequestDetailsApplication.class).properties("server.port=0")
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	private String details(int port, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/details"))
			.timeout(Duration.ofSeconds(20));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	@Test
	void withoutAStrategyTheHostHeaderNamesTheServerAndForwardingHeadersAreIgnored() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			int port = port(context);
			try (RawHttpConnection connection = new RawHttpConnection(port)) {
				RawHttpConnection.Response response = connection
					.send("GET /details HTTP/1.1\r\nHost: shop.example.com:8081\r\nX-Forwarded-Proto: https\r\n\r\n")
					.readResponse();
				assertThat(response.bodyText())
					.isEqualTo("http shop.example.com 8081 127.0.0.1 false http://shop.example.com:8081/details");
			}
		}
	}

	@Test
	void nativeStrategyBelievesAnInternalProxysXForwardedHeaders() throws Exception {
		try (ConfigurableApplicationContext context = run("server.forward-headers-strategy=native")) {
			assertThat(details(port(context), "X-Forwarded-For", "203.0.113.7, 10.0.0.1", "X-Forwarded-Proto",
					"https", "X-Forwarded-Host", "shop.example.com"))
				.isEqualTo("https shop.example.com 443 203.0.113.7 true https://shop.example.com/details");
			assertThat(details(port(context), "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "http",
					"X-Forwarded-Host", "shop.example.com", "X-Forwarded-Port", "8080"))
				.isEqualTo("http shop.example.com 8080 203.0.113.7 false http://shop.example.com:8080/details");
			assertThat(details(port(context), "Forwarded",
					"for=198.51.100.17;proto=https;host=api.example.org:8443, for=10.1.1.1"))
				.isEqualTo("https api.example.org 8443 198.51.100.17 true https://api.example.org:8443/details");
		}
	}

	@Test
	void nativeStrategyIgnoresHeadersFromAPeerThatIsNotATrustedProxy() throws Exception {
		try (ConfigurableApplicationContext context = run("server.forward-headers-strategy=native",
				"server.hybrid.remote-ip.internal-proxies=10\\.9\\.9\\.9")) {
			assertThat(details(port(context), "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https"))
				.startsWith("http 127.0.0.1 " + port(context) + " 127.0.0.1 false");
		}
		try (ConfigurableApplicationContext context = run("server.forward-headers-strategy=native",
				"server.hybrid.remote-ip.internal-proxies=", "server.hybrid.remote-ip.trusted-proxies=127\\.0\\.0\\.1")) {
			assertThat(details(port(context), "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https"))
				.startsWith("https 127.0.0.1 443 203.0.113.7 true");
		}
	}

	@Test
	void frameworkStrategyUsesSpringsForwardedHeaderFilter() throws Exception {
		try (ConfigurableApplicationContext context = run("server.forward-headers-strategy=framework")) {
			assertThat(details(port(context), "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https",
					"X-Forwarded-Host", "shop.example.com"))
				.isEqualTo("https shop.example.com 443 203.0.113.7 true https://shop.example.com/details");
		}
	}

	@Test
	void traceIsRefusedWith405UnlessAllowTraceIsSet() throws Exception {
		try (ConfigurableApplicationContext context = run()) {
			try (RawHttpConnection connection = new RawHttpConnection(port(context))) {
				RawHttpConnection.Response response = connection
					.send("TRACE /details HTTP/1.1\r\nHost: x\r\nCookie: secret=1\r\n\r\n")
					.readResponse();
				assertThat(response.status()).isEqualTo(405);
				assertThat(response.header("allow")).contains("GET").doesNotContain("TRACE");
				assertThat(response.bodyText()).doesNotContain("secret");
			}
		}
		try (ConfigurableApplicationContext context = run("server.hybrid.allow-trace=true")) {
			try (RawHttpConnection connection = new RawHttpConnection(port(context))) {
				RawHttpConnection.Response response = connection
					.send("TRACE /details HTTP/1.1\r\nHost: x\r\n\r\n")
					.readResponse();
				// The servlet's own TRACE: an echo of the request, which is why it is off by default.
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.bodyText()).startsWith("TRACE /details HTTP/1.1");
			}
		}
	}

	@Test
	void servletEncodingPropertiesApply() throws Exception {
		try (ConfigurableApplicationContext context = run("server.servlet.encoding.charset=ISO-8859-1",
				"server.servlet.encoding.force=true")) {
			HttpResponse<byte[]> response = this.client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(context) + "/text")).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).containsIgnoringCase("charset=ISO-8859-1"));
			assertThat(new String(response.body(), StandardCharsets.ISO_8859_1)).isEqualTo("Grüße");
		}
	}

}
