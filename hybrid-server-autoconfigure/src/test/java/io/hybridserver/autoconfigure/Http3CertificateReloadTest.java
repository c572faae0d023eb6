package io.hybridserver.autoconfigure;

import java.nio.file.Path;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.Http3TestClient;
import io.hybridserver.testsupport.ReloadablePemBundle;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;

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
		ReloadablePemBundle bundle = new ReloadablePemBundle(dir);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProtocolTestApplication.class)
			.properties("server.port=0", "server.hybrid.http3.enabled=true")
			.properties(bundle.properties())
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try (Http3TestClient before = Http3TestClient.connect(port)) {
				assertThat(before.get("/hello").status()).isEqualTo(200);
				assertThat(servedSerial(before)).isEqualTo(TestTls.SERVER_SERIAL);
				bundle.renew();
				ReloadablePemBundle.awaitRenewed(() -> newConnectionsSerial(port));
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

}
