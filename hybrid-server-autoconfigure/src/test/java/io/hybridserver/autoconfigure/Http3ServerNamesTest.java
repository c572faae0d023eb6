package io.hybridserver.autoconfigure;

import java.net.Socket;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.Http3TestClient;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SNI over QUIC: with {@code server.ssl.server-name-bundles}, the HTTP/3 listener serves each configured name's
 * certificate as the TCP listener does, and the default bundle's to a client that names another host or none.
 */
class Http3ServerNamesTest {

	@Test
	void eachServerNameGetsItsBundlesCertificate() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProtocolTestApplication.class)
			.properties("server.port=0", "spring.ssl.bundle.pem.web.keystore.certificate=classpath:tls/server.pem",
					"spring.ssl.bundle.pem.web.keystore.private-key=classpath:tls/server.key",
					"spring.ssl.bundle.pem.alt.keystore.certificate=classpath:tls/alt.pem",
					"spring.ssl.bundle.pem.alt.keystore.private-key=classpath:tls/alt.key", "server.ssl.bundle=web",
					"server.ssl.server-name-bundles[0].server-name=alt.example.test",
					"server.ssl.server-name-bundles[0].bundle=alt", "server.hybrid.http3.enabled=true")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(servedSerial(port, "alt.example.test")).isEqualTo(TestTls.ALT_SERIAL);
			assertThat(servedSerial(port, "localhost")).isEqualTo(TestTls.SERVER_SERIAL);
			// No server name at all (as for a client that connects to an IP address): the default bundle. Netty's
			// client checks the name it was given, so without one the certificate is only recorded here.
			RecordingTrustManager recording = new RecordingTrustManager();
			try (Http3TestClient client = Http3TestClient.connect(port, null, recording)) {
				assertThat(client.get("/hello").status()).isEqualTo(200);
			}
			assertThat(recording.served.getSerialNumber().longValue()).isEqualTo(TestTls.SERVER_SERIAL);
		}
	}

	/** Takes any server certificate, whatever name it is for, and keeps it. */
	private static final class RecordingTrustManager extends X509ExtendedTrustManager {

		volatile X509Certificate served;

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
			this.served = chain[0];
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
			this.served = chain[0];
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
			this.served = chain[0];
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
			throw new UnsupportedOperationException("a client's trust manager");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
			throw new UnsupportedOperationException("a client's trust manager");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
			throw new UnsupportedOperationException("a client's trust manager");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

	/** Connects naming {@code serverName}, makes a request, and says which certificate the server presented. */
	private static long servedSerial(int port, String serverName) throws Exception {
		try (Http3TestClient client = Http3TestClient.connect(port, serverName)) {
			assertThat(client.get("/hello").status()).isEqualTo(200);
			X509Certificate served = (X509Certificate) client.quic().sslEngine().getSession().getPeerCertificates()[0];
			return served.getSerialNumber().longValue();
		}
	}

}
