package io.hybridserver.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.ClientAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslOptions;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.metrics.TlsHandshakeMeters;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * TLS over real sockets with real clients (the JDK's, and openssl where the JDK refuses to act as a legacy client),
 * run once per provider: the same credentials must behave the same on BoringSSL and on the JDK's engine.
 */
abstract class TlsServerTest {

	private final List<HybridWebServer> servers = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@TempDir
	Path tempDir;

	/** The provider under test. */
	abstract TlsProvider provider();

	@AfterEach
	void stopAll() {
		this.servers.forEach(HybridWebServer::destroy);
	}

	private HybridWebServer start(TlsCredentials credentials) {
		return start(credentials, Duration.ofSeconds(10));
	}

	private HybridWebServer start(TlsCredentials credentials, Duration handshakeTimeout) {
		return start(credentials, handshakeTimeout,
				(exchange) -> TestServers.respond(exchange, 200, "hello " + exchange.scheme()));
	}

	private HybridWebServer start(TlsCredentials credentials, Duration handshakeTimeout, ExchangeHandler handler) {
		return start(credentials, handler, (tls) -> tls.setHandshakeTimeout(handshakeTimeout));
	}

	private HybridWebServer start(TlsCredentials credentials, ExchangeHandler handler,
			java.util.function.Consumer<TlsSettings> tlsSettings) {
		HybridWebServer server = TestTls.start(credentials, handler, (settings) -> {
					settings.getTls().setProvider(provider());
					tlsSettings.accept(settings.getTls());
				});
		server.setTlsHandshakeListener(new TlsHandshakeMeters(() -> this.meters));
		this.servers.add(server);
		// The listener applies to new connections; none has been accepted yet.
		return server;
	}

	@Test
	void tls13IsNegotiatedByDefaultAndTheExchangeSaysHttps() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		HttpResponse<String> response = TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port, "/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello https");
		SSLSession session = response.sslSession().orElseThrow();
		assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
		assertThat(TlsDefaults.TLS13_CIPHERS).contains(session.getCipherSuite());
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handshakes("success", "TLSv1.3", session.getCipherSuite(), "none"))
				.isEqualTo(1));
		Timer duration = this.meters.find("hybrid.server.tls.handshake.duration").tag("result", "success").timer();
		assertThat(duration).isNotNull();
		assertThat(duration.count()).isEqualTo(1);
	}

	@Test
	void tls12IsNegotiatedWithForwardSecretAeadSuites() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		HttpResponse<String> response = TestTls.get(TestTls.httpClient(TestTls.clientContext(null), "TLSv1.2"), port,
				"/");
		assertThat(response.statusCode()).isEqualTo(200);
		SSLSession session = response.sslSession().orElseThrow();
		assertThat(session.getProtocol()).isEqualTo("TLSv1.2");
		assertThat(session.getCipherSuite()).startsWith("TLS_ECDHE_").containsAnyOf("_GCM_", "CHACHA20_POLY1305");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handshakes("success", "TLSv1.2", session.getCipherSuite(), "none"))
				.isEqualTo(1));
	}

	@Test
	void tls11AndTls10AreRefused() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		for (String version : List.of("-tls1_1", "-tls1")) {
			OpenSslClient.Result result = OpenSslClient.connect(port, version, "-cipher", "DEFAULT@SECLEVEL=0");
			assertThat(result.exitCode()).as(result.output()).isNotZero();
			assertThat(result.output()).doesNotContain("Protocol version: TLSv1.1").doesNotContain("Cipher is ECDHE");
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handshakes("failure", "none", "none", "protocol")).isEqualTo(2));
	}

	@Test
	void needClientAuthRefusesAClientWithoutACertificateAndAcceptsATrustedOne() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.REQUIRE)).getPort();
		assertThatThrownBy(() -> TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port, "/"))
			.isInstanceOf(IOException.class);
		assertThatThrownBy(() -> TestTls.get(TestTls.httpClient(TestTls.clientContext("stranger")), port, "/"))
			.isInstanceOf(IOException.class);
		HttpResponse<String> response = TestTls.get(TestTls.httpClient(TestTls.clientContext("client")), port, "/");
		assertThat(response.statusCode()).isEqualTo(200);
		// The JDK client retries a GET once on a failed connection: two refusals, two or four handshakes.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handshakes("failure", "none", "none", "certificate"))
				.isGreaterThanOrEqualTo(2));
		assertThat(handshakes("failure", "none", "none", "protocol")).isZero();
	}

	@Test
	void wantClientAuthAcceptsClientsWithAndWithoutACertificate() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.OPTIONAL)).getPort();
		assertThat(TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port, "/").statusCode())
			.isEqualTo(200);
		assertThat(TestTls.get(TestTls.httpClient(TestTls.clientContext("client")), port, "/").statusCode())
			.isEqualTo(200);
	}

	@Test
	void theExchangeShowsTheTlsSessionWithTheClientsCertificate() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.OPTIONAL), Duration.ofSeconds(10), (exchange) -> {
			SSLSession session = exchange.tlsSession();
			String client;
			try {
				client = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
			}
			catch (javax.net.ssl.SSLPeerUnverifiedException ex) {
				client = "anonymous";
			}
			TestServers.respond(exchange, 200, session.getProtocol() + " " + client);
		}).getPort();
		assertThat(TestTls.get(TestTls.httpClient(TestTls.clientContext("client")), port, "/").body())
			.isEqualTo("TLSv1.3 CN=test-client");
		assertThat(TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port, "/").body())
			.isEqualTo("TLSv1.3 anonymous");
	}

	@Test
	void sniPicksTheCertificateByServerName() throws Exception {
		TlsCredentials credentials = TestTls.credentials(ClientAuth.NONE)
			.withServerName("alt.example.test", null, TestTls.bundle("alt"))
			.withServerName("*.wild.example.test", null, TestTls.bundle("alt"));
		int port = start(credentials).getPort();
		X509Certificate alt = TestTls.presentedCertificate(port, "alt.example.test");
		assertThat(alt.getSerialNumber().longValue()).isEqualTo(TestTls.ALT_SERIAL);
		X509Certificate wildcard = TestTls.presentedCertificate(port, "api.wild.example.test");
		assertThat(wildcard.getSerialNumber().longValue()).isEqualTo(TestTls.ALT_SERIAL);
		X509Certificate upperCase = TestTls.presentedCertificate(port, "ALT.example.test");
		assertThat(upperCase.getSerialNumber().longValue()).isEqualTo(TestTls.ALT_SERIAL);
		X509Certificate localhost = TestTls.presentedCertificate(port, "localhost");
		assertThat(localhost.getSerialNumber().longValue()).isEqualTo(TestTls.SERVER_SERIAL);
		X509Certificate noName = TestTls.presentedCertificate(port, null);
		assertThat(noName.getSerialNumber().longValue()).isEqualTo(TestTls.SERVER_SERIAL);
	}

	@Test
	void aConfiguredTls12CipherListKeepsTls13() throws Exception {
		SslOptions options = SslOptions.of(new String[] { "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" }, null);
		TlsCredentials credentials = TlsCredentials.of(TestTls.bundle("server", options), null, ClientAuth.NONE,
				null);
		int port = start(credentials).getPort();
		HttpResponse<String> tls13 = TestTls.get(TestTls.httpClient(TestTls.clientContext(null)), port, "/");
		assertThat(tls13.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
		HttpResponse<String> tls12 = TestTls.get(TestTls.httpClient(TestTls.clientContext(null), "TLSv1.2"), port,
				"/");
		assertThat(tls12.sslSession().orElseThrow().getCipherSuite())
			.isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
	}

	@Test
	void aClientThatNeverSaysHelloIsClosedAtTheHandshakeTimeout() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE), Duration.ofMillis(300)).getPort();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			long start = System.nanoTime();
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(9_000);
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handshakes("failure", "none", "none", "timeout")).isEqualTo(1));
	}

	@Test
	void plainHttpOnTheTlsPortGetsAReadable400ThenClose() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		try (RawHttpConnection connection = new RawHttpConnection(port, 10_000)) {
			RawHttpConnection.Response response = connection.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
				.readResponse();
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.bodyText()).contains("This port speaks HTTPS");
			assertThat(response.header("Connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(handshakes("failure", "none", "none", "plaintext")).isEqualTo(1));
	}

	@Test
	void keepAliveRequestsShareOneHandshake() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		HttpClient client = TestTls.httpClient(TestTls.clientContext(null));
		for (int i = 0; i < 5; i++) {
			assertThat(TestTls.get(client, port, "/").body()).isEqualTo("hello https");
		}
		assertThat(handshakes("success", null, null, null)).isEqualTo(1);
	}

	@Test
	void alpnSelectsHttp11AmongTheClientsOffers() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		try (SSLSocket socket = (SSLSocket) TestTls.clientContext(null)
			.getSocketFactory()
			.createSocket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setApplicationProtocols(new String[] { "h2", "http/1.1" });
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
		}
	}

	@Test
	void sessionsAreResumed() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		String request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
		for (String version : List.of("-tls1_3", "-tls1_2")) {
			Path session = this.tempDir.resolve("session" + version);
			// A real client's flow: a request on a full handshake stores the session (in TLS 1.3 the ticket arrives
			// after the handshake), the next connection offers it.
			OpenSslClient.Result first = OpenSslClient.send(port, request, version, "-sess_out", session.toString());
			assertThat(first.output()).as(first.output()).contains("New, ").contains("hello https");
			OpenSslClient.Result second = OpenSslClient.send(port, request, version, "-sess_in", session.toString());
			assertThat(second.output()).as(second.output()).contains("Reused, ").contains("hello https");
		}
		// The meters tell full handshakes from resumed ones: one of each per version.
		for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(resumedHandshakes(protocol, "true")).isEqualTo(1));
			assertThat(resumedHandshakes(protocol, "false")).isEqualTo(1);
		}
	}

	@Test
	void aTicketOutlivesOneKeyRotationButNotTwo() throws Exception {
		// BoringSSL's keys are ours to rotate; the JDK's engine rotates its own, hourly.
		org.junit.jupiter.api.Assumptions.assumeTrue(provider() != TlsProvider.JDK);
		Duration rotation = Duration.ofSeconds(3);
		int port = start(TestTls.credentials(ClientAuth.NONE),
				(exchange) -> TestServers.respond(exchange, 200, "hello " + exchange.scheme()),
				(tls) -> tls.setSessionTicketKeyRotation(rotation))
			.getPort();
		String request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
		Path session = this.tempDir.resolve("session");
		long issued = System.nanoTime();
		OpenSslClient.Result first = OpenSslClient.send(port, request, "-tls1_3", "-sess_out", session.toString());
		assertThat(first.output()).as(first.output()).contains("New, ");
		// A ticket is accepted for at least one period after it was issued (its key, then the previous key) ...
		OpenSslClient.Result soon = OpenSslClient.send(port, request, "-tls1_3", "-sess_in", session.toString());
		org.junit.jupiter.api.Assumptions.assumeTrue(System.nanoTime() - issued < rotation.toNanos(),
				"the machine took a whole rotation period to run openssl twice");
		assertThat(soon.output()).as(soon.output()).contains("Reused, ");
		// ... and never after two, when its key is gone: the client gets a full handshake, not an error.
		Thread.sleep(rotation.multipliedBy(2).plusMillis(500).toMillis());
		OpenSslClient.Result late = OpenSslClient.send(port, request, "-tls1_3", "-sess_in", session.toString());
		assertThat(late.output()).as(late.output()).contains("New, ").contains("hello https");
	}

	@Test
	void theJdkClientResumesItsSessionOnANewConnection() throws Exception {
		int port = start(TestTls.credentials(ClientAuth.NONE)).getPort();
		javax.net.ssl.SSLContext context = TestTls.clientContext(null);
		for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
			for (int i = 0; i < 3; i++) {
				// A new client each time: one connection each, sharing the context's session cache.
				HttpResponse<String> response = TestTls.get(TestTls.httpClient(context, protocol), port, "/");
				assertThat(response.statusCode()).isEqualTo(200);
			}
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(resumedHandshakes(protocol, "false")
						+ resumedHandshakes(protocol, "true")).isEqualTo(3));
			assertThat(resumedHandshakes(protocol, "false")).as(protocol + " full handshakes").isEqualTo(1);
		}
	}

	@Test
	void aWrongKeyAliasFailsWithAMessageThatNamesIt() {
		TlsCredentials credentials = TlsCredentials.of(
				org.springframework.boot.ssl.SslBundle.of(TestTls.bundle("server").getStores(),
						org.springframework.boot.ssl.SslBundleKey.of(null, "nope")),
				null, ClientAuth.NONE, null);
		assertThatThrownBy(() -> start(credentials)).isInstanceOf(InvalidTlsConfigurationException.class)
			.hasMessageContaining("'nope'")
			.satisfies((ex) -> assertThat(((InvalidTlsConfigurationException) ex).property())
				.isEqualTo("server.ssl.key-alias"));
	}

	private double resumedHandshakes(String protocol, String resumed) {
		return this.meters.find("hybrid.server.tls.handshakes")
			.tag("result", "success")
			.tag("protocol", protocol)
			.tag("resumed", resumed)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	private double handshakes(String result, String protocol, String cipherSuite, String reason) {
		var search = this.meters.find("hybrid.server.tls.handshakes").tag("result", result);
		if (protocol != null) {
			search = search.tag("protocol", protocol).tag("ciphersuite", cipherSuite).tag("reason", reason);
		}
		return search.counters().stream().mapToDouble(Counter::count).sum();
	}

}
