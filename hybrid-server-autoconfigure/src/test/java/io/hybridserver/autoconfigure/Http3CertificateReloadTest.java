package io.hybridserver.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.Http3TestClient;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificate reload ({@code spring.ssl.bundle.*.reload-on-update}) over QUIC as over TCP: once the bundle's files
 * change, new HTTP/3 connections present the new certificate, and a QUIC connection opened before goes on serving
 * requests with the one it negotiated. A real application, real files watched by Spring Boot, Netty's QUIC client.
 */
@ExtendWith(OutputCaptureExtension.class)
class Http3CertificateReloadTest {

	@Test
	void newQuicConnectionsGetTheReloadedCertificateWhileAnOpenOneGoesOn(@TempDir Path dir, CapturedOutput output)
			throws Exception {
		copy("server", dir);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProtocolTestApplication.class)
			.properties("server.port=0", "spring.ssl.bundle.pem.web.keystore.certificate=file:" + dir.resolve("cert.pem"),
					"spring.ssl.bundle.pem.web.keystore.private-key=file:" + dir.resolve("key.pem"),
					"spring.ssl.bundle.pem.web.reload-on-update=true",
					"spring.ssl.bundle.watch.file.quiet-period=100ms", "server.ssl.bundle=web",
					"server.hybrid.http3.enabled=true")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try (Http3TestClient before = Http3TestClient.connect(port)) {
				assertThat(before.get("/hello").status()).isEqualTo(200);
				assertThat(servedSerial(before)).isEqualTo(TestTls.SERVER_SERIAL);
				copy("server-renewed", dir);
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(200))
					.untilAsserted(() -> assertThat(newConnectionsSerial(port)).isEqualTo(TestTls.RENEWED_SERIAL));
				// The connection made before the reload keeps its certificate and its streams.
				assertThat(before.get("/hello").status()).isEqualTo(200);
				assertThat(servedSerial(before)).isEqualTo(TestTls.SERVER_SERIAL);
			}
			assertThat(output).contains("SSL bundle 'web' was updated; new QUIC (HTTP/3) connections use its new "
					+ "certificate");
		}
	}

	/** Connects anew (checking the certificate against the test CA and localhost) and says which one was served. */
	private static long newConnectionsSerial(int port) throws Exception {
		try (Http3TestClient client = Http3TestClient.connect(port)) {
			assertThat(client.get("/hello").status()).isEqualTo(200);
			return servedSerial(client);
		}
	}

	private static long servedSerial(Http3TestClient client) throws Exception {
		return ((X509Certificate) client.quic().sslEngine().getSession().getPeerCertificates()[0]).getSerialNumber()
			.longValue();
	}

	private static void copy(String name, Path dir) throws Exception {
		// The key first: the watcher's quiet period then sees the certificate arrive with its key in place.
		try (var key = new ClassPathResource("tls/" + name + ".key").getInputStream()) {
			Files.copy(key, dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
		}
		try (var cert = new ClassPathResource("tls/" + name + ".pem").getInputStream()) {
			Files.copy(cert, dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
