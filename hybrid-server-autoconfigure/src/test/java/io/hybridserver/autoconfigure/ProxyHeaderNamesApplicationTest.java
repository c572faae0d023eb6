package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.details.RequestDetailsApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code server.hybrid.remote-ip.*} header names, as Tomcat's {@code server.tomcat.remoteip.*}: a proxy that writes the
 * client's address in {@code X-Real-IP} or {@code CF-Connecting-IP} and the protocol in a header of its own is
 * believed with {@code server.forward-headers-strategy=native}, and then only in those headers.
 */
class ProxyHeaderNamesApplicationTest {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static ConfigurableApplicationContext run(String... properties) {
		return new SpringApplicationBuilder(RequestDetailsApplication.class)
			.properties("server.port=0", "server.forward-headers-strategy=native")
			.properties(properties)
			.run();
	}

	private String details(ConfigurableApplicationContext context, String... headers) throws Exception {
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/details"))
			.headers(headers)
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	@Test
	void xRealIpAndACustomProtocolHeaderAreRead() throws Exception {
		try (ConfigurableApplicationContext context = run("server.hybrid.remote-ip.remote-ip-header=X-Real-IP",
				"server.hybrid.remote-ip.protocol-header=X-Forwarded-Ssl",
				"server.hybrid.remote-ip.protocol-header-https-value=on")) {
			assertThat(details(context, "X-Real-IP", "203.0.113.9", "X-Forwarded-Ssl", "on", "X-Forwarded-Host",
					"shop.example.com"))
				.isEqualTo("https shop.example.com 443 203.0.113.9 true https://shop.example.com/details");
			// Any other value of the protocol header means http, as with Tomcat's valve.
			assertThat(details(context, "X-Real-IP", "203.0.113.9", "X-Forwarded-Ssl", "off", "X-Forwarded-Host",
					"shop.example.com"))
				.isEqualTo("http shop.example.com 80 203.0.113.9 false http://shop.example.com/details");
			// The default headers are no longer read for the address.
			assertThat(details(context, "X-Forwarded-For", "198.51.100.1")).contains(" 127.0.0.1 ");
		}
	}

	@Test
	void withAnotherAddressHeaderAClientsOwnForwardedHeaderIsNotBelieved() throws Exception {
		try (ConfigurableApplicationContext context = run(
				"server.hybrid.remote-ip.remote-ip-header=CF-Connecting-IP")) {
			// The proxy wrote CF-Connecting-IP; the Forwarded header came from the client through it.
			assertThat(details(context, "CF-Connecting-IP", "203.0.113.50", "Forwarded", "for=198.51.100.66"))
				.contains(" 203.0.113.50 ");
		}
		try (ConfigurableApplicationContext context = run()) {
			// With the default X-Forwarded-For, RFC 7239 Forwarded is read first, as before.
			assertThat(details(context, "Forwarded", "for=198.51.100.66")).contains(" 198.51.100.66 ");
		}
	}

	@Test
	void anEmptyAddressHeaderNameFailsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(() -> run("server.hybrid.remote-ip.remote-ip-header=").close());
		FailureAnalysis analysis = new HybridServerFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.remote-ip.remote-ip-header");
	}

}
