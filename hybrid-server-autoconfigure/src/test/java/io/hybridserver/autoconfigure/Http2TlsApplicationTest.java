package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * h2 over TLS, chosen by ALPN, with each TLS provider: the JDK's {@code HttpClient} asks for h2 and gets it, and a
 * client that offers only http/1.1 still gets HTTP/1.1; client certificates ({@code server.ssl.client-auth}) work over
 * h2 as over HTTP/1.1 ({@code TlsApplicationTest}).
 */
class Http2TlsApplicationTest {

	private static ConfigurableApplicationContext start(String provider) {
		return new SpringApplicationBuilder(ProtocolTestApplication.class)
			.properties("server.port=0", "server.http2.enabled=true", "server.hybrid.ssl.provider=" + provider,
					"server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
					"server.ssl.key-alias=server")
			.run();
	}

	private static ConfigurableApplicationContext startWithClientAuth(String provider, String clientAuth) {
		return new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "server.http2.enabled=true", "server.hybrid.ssl.provider=" + provider,
					"server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
					"server.ssl.key-alias=server", "server.ssl.trust-store=classpath:tls/truststore.p12",
					"server.ssl.trust-store-password=secret", "server.ssl.client-auth=" + clientAuth)
			.run();
	}

	private static HttpClient h2Client(String clientCertificate) {
		return HttpClient.newBuilder()
			.sslContext(TestTls.clientContext(clientCertificate))
			.connectTimeout(Duration.ofSeconds(10))
			.version(HttpClient.Version.HTTP_2)
			.build();
	}

	private static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@ParameterizedTest
	@ValueSource(strings = { "boringssl", "jdk" })
	void alpnChoosesH2AndHttp11StaysAvailable(String provider) throws Exception {
		try (ConfigurableApplicationContext context = start(provider)) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient h2 = HttpClient.newBuilder()
				.sslContext(TestTls.clientContext(null))
				.version(HttpClient.Version.HTTP_2)
				.build();
			HttpResponse<String> response = get(h2, port, "/protocol");
			assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(response.body()).isEqualTo("HTTP/2.0 https localhost");
			// Many streams at once on the client's one connection, and a download larger than every window.
			List<CompletableFuture<HttpResponse<String>>> many = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				many.add(h2.sendAsync(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/hello?name=" + i))
					.build(), HttpResponse.BodyHandlers.ofString()));
			}
			for (int i = 0; i < 50; i++) {
				HttpResponse<String> each = many.get(i).get(30, TimeUnit.SECONDS);
				assertThat(each.version()).isEqualTo(HttpClient.Version.HTTP_2);
				assertThat(each.body()).isEqualTo("{\"message\":\"Hello, " + i + "!\"}");
			}
			int size = 4 * 1024 * 1024;
			HttpResponse<byte[]> download = h2.send(
					HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/download?size=" + size)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(download.body()).hasSize(size);
			HttpResponse<String> http11 = get(TestTls.httpClient(TestTls.clientContext(null)), port, "/protocol");
			assertThat(http11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
			assertThat(http11.body()).isEqualTo("HTTP/1.1 https localhost");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "boringssl", "jdk" })
	void clientAuthNeedOverH2(String provider) throws Exception {
		try (ConfigurableApplicationContext context = startWithClientAuth(provider, "need")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> response = get(h2Client("client"), port, "/tls");
			assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(response.body()).matches("https true TLSv1\\.3 (128|256) CN=test-client");
			// Without a certificate the handshake fails, before any protocol is chosen.
			assertThat(catchThrowable(() -> get(h2Client(null), port, "/tls"))).isInstanceOf(java.io.IOException.class);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "boringssl", "jdk" })
	void clientAuthWantOverH2(String provider) throws Exception {
		try (ConfigurableApplicationContext context = startWithClientAuth(provider, "want")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> withCertificate = get(h2Client("client"), port, "/tls");
			assertThat(withCertificate.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(withCertificate.body()).matches("https true TLSv1\\.3 (128|256) CN=test-client");
			HttpResponse<String> without = get(h2Client(null), port, "/tls");
			assertThat(without.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(without.body()).matches("https true TLSv1\\.3 (128|256) no-certificate");
		}
	}

}
