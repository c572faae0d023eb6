package io.hybridserver.autoconfigure;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.listeners.ListenersApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code server.hybrid.additional-listeners} in a real Spring MVC application: clear text on the primary port, two
 * HTTPS listeners with their own SSL bundles, a redirect listener and a Unix socket side by side, what the servlet API
 * reports on each, and configuration mistakes failing startup with the property's name.
 */
@ExtendWith(OutputCaptureExtension.class)
class ListenersApplicationTest {

	@TempDir
	Path dir;

	private static HybridWebServer server(ConfigurableApplicationContext context) {
		return (HybridWebServer) ((WebServerApplicationContext) context).getWebServer();
	}

	private static int port(ConfigurableApplicationContext context, String listener) {
		return ((InetSocketAddress) server(context).getListenerAddresses().get(listener)).getPort();
	}

	@Test
	void httpAndTwoHttpsListenersWithTheirOwnBundlesARedirectAndAUnixSocket(CapturedOutput output) throws Exception {
		Path socket = this.dir.resolve("app.sock");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ListenersApplication.class).properties(
				"server.port=0", "server.address=127.0.0.1",
				"spring.ssl.bundle.pem.web.keystore.certificate=classpath:tls/server.pem",
				"spring.ssl.bundle.pem.web.keystore.private-key=classpath:tls/server.key",
				"spring.ssl.bundle.pem.alt.keystore.certificate=classpath:tls/alt.pem",
				"spring.ssl.bundle.pem.alt.keystore.private-key=classpath:tls/alt.key",
				"server.hybrid.additional-listeners[0].name=https",
				"server.hybrid.additional-listeners[0].port=0",
				"server.hybrid.additional-listeners[0].address=127.0.0.1",
				"server.hybrid.additional-listeners[0].ssl.bundle=web",
				"server.hybrid.additional-listeners[1].name=https-alt",
				"server.hybrid.additional-listeners[1].port=0",
				"server.hybrid.additional-listeners[1].ssl.bundle=alt",
				"server.hybrid.additional-listeners[2].name=redirect",
				"server.hybrid.additional-listeners[2].port=0",
				"server.hybrid.additional-listeners[2].redirect-to-https=true",
				"server.hybrid.additional-listeners[3].name=local",
				"server.hybrid.additional-listeners[3].unix-socket=" + socket,
				"server.hybrid.additional-listeners[3].unix-socket-permissions=rw-------")
			.run()) {
			HybridWebServer server = server(context);
			assertThat(server.getListenerAddresses()).containsOnlyKeys("primary", "https", "https-alt", "redirect",
					"local");
			int primary = server.getPort();
			assertThat(primary).isEqualTo(port(context, "primary"));
			int https = port(context, "https");
			int httpsAlt = port(context, "https-alt");

			try (RawHttpConnection connection = new RawHttpConnection(primary)) {
				Response response = connection
					.send("GET /where HTTP/1.1\r\nHost: localhost:" + primary + "\r\nConnection: close\r\n\r\n")
					.readResponse();
				assertThat(response.bodyText()).startsWith("remote=127.0.0.1 ")
					.contains(" localPort=" + primary + " ", " secure=false ");
			}
			// Each HTTPS listener presents its own bundle's certificate.
			assertThat(TestTls.presentedCertificate(https, null).getSerialNumber().longValue())
				.isEqualTo(TestTls.SERVER_SERIAL);
			assertThat(TestTls.presentedCertificate(httpsAlt, null).getSerialNumber().longValue())
				.isEqualTo(TestTls.ALT_SERIAL);
			HttpResponse<String> overTls = TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), https, "/where");
			assertThat(overTls.body()).contains(" localPort=" + https + " ", " serverPort=" + https + " ",
					" secure=true ");

			// The redirect listener sends clients to the first HTTPS listener, path and query kept.
			try (RawHttpConnection connection = new RawHttpConnection(port(context, "redirect"))) {
				Response response = connection
					.send("GET /where?a=1 HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n")
					.readResponse();
				assertThat(response.status()).isEqualTo(301);
				assertThat(response.header("Location")).isEqualTo("https://localhost:" + https + "/where?a=1");
			}

			// Over the Unix socket: loopback peer, port 0 locally, the Host's port as the server port.
			assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
				.isEqualTo("rw-------");
			try (RawHttpConnection connection = RawHttpConnection.unix(socket)) {
				Response response = connection
					.send("GET /where HTTP/1.1\r\nHost: app.internal:8443\r\nConnection: close\r\n\r\n")
					.readResponse();
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.bodyText()).isEqualTo("remote=127.0.0.1 remotePort=0 local=127.0.0.1 localPort=0 "
						+ "serverPort=8443 secure=false authority=null proxySsl=null");
			}
			assertThat(output).contains("listener 'https' started on port " + https + " (https, TLS by")
				.contains("listener 'local' started on unix socket " + socket + " (http)")
				.contains("listener 'redirect' started on port " + port(context, "redirect")
						+ " (http, redirects to https)");
		}
		assertThat(Files.exists(socket)).as("removed when the application stops").isFalse();
	}

	@Test
	void protocolDetectionServesHttpsAndHttpOnThePrimaryPortAndOnAListener(CapturedOutput output) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ListenersApplication.class).properties(
				"server.port=0", "server.address=127.0.0.1",
				"spring.ssl.bundle.pem.web.keystore.certificate=classpath:tls/server.pem",
				"spring.ssl.bundle.pem.web.keystore.private-key=classpath:tls/server.key",
				"server.ssl.bundle=web", "server.hybrid.protocol-detection.enabled=true",
				"server.hybrid.additional-listeners[0].name=both",
				"server.hybrid.additional-listeners[0].port=0",
				"server.hybrid.additional-listeners[0].address=127.0.0.1",
				"server.hybrid.additional-listeners[0].ssl.bundle=web",
				"server.hybrid.additional-listeners[0].protocol-detection.enabled=true",
				"server.hybrid.additional-listeners[0].protocol-detection.timeout=2s")
			.run()) {
			for (int port : new int[] { server(context).getPort(), port(context, "both") }) {
				HttpResponse<String> overTls = TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port,
						"/where");
				assertThat(overTls.body()).contains(" serverPort=" + port + " secure=true ");
				try (RawHttpConnection connection = new RawHttpConnection(port)) {
					Response response = connection
						.send("GET /where HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n")
						.readResponse();
					assertThat(response.bodyText()).contains(" serverPort=" + port + " secure=false ");
				}
			}
			assertThat(output).contains("Hybrid server started on port " + server(context).getPort()
					+ " (https, TLS by")
				.contains("listener 'both' started on port " + port(context, "both") + " (https, TLS by")
				.contains("; and http on the same port by protocol detection)");
		}
	}

	@Test
	void protocolDetectionWithoutTlsOrWithABadTimeoutFailsStartupNamingTheProperty() {
		Throwable listener = catchThrowable(() -> new SpringApplicationBuilder(ListenersApplication.class)
			.properties("server.port=0", "server.hybrid.additional-listeners[0].port=0",
					"server.hybrid.additional-listeners[0].protocol-detection.enabled=true")
			.run());
		assertThat(listener).rootCause()
			.hasMessageContaining("server.hybrid.additional-listeners[0].protocol-detection chooses between TLS and "
					+ "clear text, and this listener has no TLS");
		Throwable primary = catchThrowable(() -> new SpringApplicationBuilder(ListenersApplication.class)
			.properties("server.port=0", "server.hybrid.protocol-detection.enabled=true")
			.run());
		assertThat(primary).rootCause()
			.hasMessageContaining("server.hybrid.protocol-detection chooses between TLS and clear text, and the "
					+ "primary port has no TLS: configure server.ssl");
		Throwable timeout = catchThrowable(() -> new SpringApplicationBuilder(ListenersApplication.class)
			.properties("server.port=0", "server.hybrid.protocol-detection.timeout=0s")
			.run());
		assertThat(timeout).rootCause().hasMessageContaining("server.hybrid.protocol-detection.timeout has an invalid "
				+ "value: the protocol detection timeout must be positive");
	}

	@Test
	void aListenerWithoutPortOrSocketFailsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ListenersApplication.class)
			.properties("server.port=0", "server.hybrid.additional-listeners[0].name=nowhere")
			.run());
		assertThat(failure).rootCause()
			.hasMessageContaining("server.hybrid.additional-listeners[0] needs exactly one of port and unix-socket");
	}

	@Test
	void anUntrustedSourceThatIsNotAnAddressFailsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ListenersApplication.class)
			.properties("server.port=0", "server.hybrid.additional-listeners[0].port=0",
					"server.hybrid.additional-listeners[0].proxy-protocol.mode=required",
					"server.hybrid.additional-listeners[0].proxy-protocol.trusted-sources=haproxy.internal")
			.run());
		assertThat(failure).rootCause()
			.hasMessageContaining("server.hybrid.additional-listeners[0].proxy-protocol.trusted-sources")
			.hasMessageContaining("'haproxy.internal' is not an IP address block");
	}

	@Test
	void anUnknownBundleFailsStartupNamingIt() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ListenersApplication.class)
			.properties("server.port=0", "server.hybrid.additional-listeners[0].name=tls",
					"server.hybrid.additional-listeners[0].port=0",
					"server.hybrid.additional-listeners[0].ssl.bundle=missing")
			.run());
		assertThat(failure).hasStackTraceContaining("Listener 'tls' names SSL bundle 'missing'");
	}

}
