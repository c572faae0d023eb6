package io.hybridserver.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.testsupport.ReloadablePemBundle;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * TLS configured the way Spring users configure Tomcat: {@code server.ssl.*} with JKS, PKCS12 or PEM, SSL bundles,
 * server-name bundles and reload-on-update, in real applications; run once per provider (see the subclasses).
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class TlsApplicationTest {

	private final HybridServerFailureAnalyzer analyzer = new HybridServerFailureAnalyzer();

	/** The value of {@code server.hybrid.ssl.provider} under test. */
	abstract String provider();

	/** How the startup log names the engine. */
	abstract String engineInLog();

	private ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "server.hybrid.ssl.provider=" + provider())
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static void assertServesHello(ConfigurableApplicationContext context) throws Exception {
		HttpResponse<String> response = TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port(context),
				"/hello");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("Hello, world!");
	}

	@Test
	void pkcs12KeyStore(CapturedOutput output) throws Exception {
		try (var context = start("server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.key-alias=server")) {
			assertServesHello(context);
			assertThat(output).contains("(https, TLS by " + engineInLog());
		}
	}

	@Test
	void jksKeyStore() throws Exception {
		try (var context = start("server.ssl.key-store=classpath:tls/server.jks", "server.ssl.key-store-type=JKS",
				"server.ssl.key-store-password=secret")) {
			assertServesHello(context);
		}
	}

	@Test
	void pemCertificateAndKey() throws Exception {
		try (var context = start("server.ssl.certificate=classpath:tls/server.pem",
				"server.ssl.certificate-private-key=classpath:tls/server.key")) {
			assertServesHello(context);
		}
	}

	@Test
	void bundlesWithServerNames() throws Exception {
		try (var context = start("spring.ssl.bundle.pem.web.keystore.certificate=classpath:tls/server.pem",
				"spring.ssl.bundle.pem.web.keystore.private-key=classpath:tls/server.key",
				"spring.ssl.bundle.pem.alt.keystore.certificate=classpath:tls/alt.pem",
				"spring.ssl.bundle.pem.alt.keystore.private-key=classpath:tls/alt.key", "server.ssl.bundle=web",
				"server.ssl.server-name-bundles[0].server-name=alt.example.test",
				"server.ssl.server-name-bundles[0].bundle=alt")) {
			assertServesHello(context);
			assertThat(TestTls.presentedCertificate(port(context), "alt.example.test").getSerialNumber().longValue())
				.isEqualTo(TestTls.ALT_SERIAL);
			assertThat(TestTls.presentedCertificate(port(context), "localhost").getSerialNumber().longValue())
				.isEqualTo(TestTls.SERVER_SERIAL);
		}
	}

	@Test
	void clientAuthNeedWithATrustStore() throws Exception {
		try (var context = start("server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.trust-store=classpath:tls/truststore.p12", "server.ssl.trust-store-password=secret",
				"server.ssl.client-auth=need")) {
			HttpResponse<String> response = TestTls.get(TestTls.httpClient(TestTls.clientContext("client")),
					port(context), "/hello");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(catchThrowable(() -> TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port(context),
					"/hello"))).isInstanceOf(java.io.IOException.class);
		}
	}

	@Test
	void servletRequestsCarryTheTlsAttributes() throws Exception {
		try (var context = start("server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.trust-store=classpath:tls/truststore.p12", "server.ssl.trust-store-password=secret",
				"server.ssl.client-auth=want")) {
			assertThat(TestTls.get(TestTls.httpClient(TestTls.clientContext("client")), port(context), "/tls").body())
				.matches("https true TLSv1\\.3 (128|256) CN=test-client");
			assertThat(TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port(context), "/tls").body())
				.matches("https true TLSv1\\.3 (128|256) no-certificate");
		}
	}

	@Test
	void reloadedPemBundleServesNewConnectionsWhileAnOpenConnectionKeepsWorking(@TempDir Path dir) throws Exception {
		ReloadablePemBundle bundle = new ReloadablePemBundle(dir);
		try (var context = start(bundle.properties())) {
			int port = port(context);
			HttpClient keepAlive = TestTls.httpClient(TestTls.clientContext(null));
			assertThat(serial(TestTls.get(keepAlive, port, "/hello"))).isEqualTo(TestTls.SERVER_SERIAL);
			bundle.renew();
			ReloadablePemBundle.awaitRenewed(
					() -> TestTls.presentedCertificate(port, "localhost").getSerialNumber().longValue());
			// The connection opened before the reload is still the one in use, with the old certificate.
			HttpResponse<String> again = TestTls.get(keepAlive, port, "/hello");
			assertThat(again.statusCode()).isEqualTo(200);
			assertThat(serial(again)).isEqualTo(TestTls.SERVER_SERIAL);
		}
	}

	@Test
	void handshakesAreCountedInTheApplicationsMeterRegistry() throws Exception {
		try (var context = start("server.ssl.key-store=classpath:tls/server.p12",
				"server.ssl.key-store-password=secret")) {
			assertServesHello(context);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(registry.find("hybrid.server.tls.handshakes")
					.tag("result", "success")
					.tag("protocol", "TLSv1.3")
					.counter()).isNotNull());
			assertThat(registry.find("hybrid.server.tls.handshake.duration").timer()).isNotNull();
		}
	}

	@Test
	void aWrongKeyAliasFailsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(() -> start("server.ssl.key-store=classpath:tls/server.p12",
				"server.ssl.key-store-password=secret", "server.ssl.key-alias=missing").close());
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).as("failure: %s", failure).isNotNull();
		assertThat(analysis.getDescription()).contains("missing");
		assertThat(analysis.getAction()).contains("server.ssl.key-alias");
	}

	@Test
	void aMissingKeyStoreFailsStartupNamingIt() {
		Throwable failure = catchThrowable(() -> start("server.ssl.key-store=classpath:tls/absent.p12",
				"server.ssl.key-store-password=secret").close());
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).as("failure: %s", failure).isNotNull();
		assertThat(analysis.getDescription()).contains("absent.p12");
		assertThat(analysis.getAction()).contains("server.ssl");
	}

	private static long serial(HttpResponse<?> response) throws Exception {
		return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber()
			.longValue();
	}

}
