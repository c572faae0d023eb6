package io.hybridserver.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.netty.handler.ssl.ClientAuth;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.Shutdown;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.testsupport.TestTls;
import io.hybridserver.transport.CidrRange;
import io.hybridserver.transport.ProtocolDetectionSettings;
import io.hybridserver.transport.ProxyProtocolMode;
import io.hybridserver.transport.ProxyProtocolSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TLS and clear text on one port, with real clients: the JDK's HttpClient over https (h2 by ALPN) and http (HTTP/1.1
 * and h2c) on the same port, curl with prior knowledge, openssl s_client; a PROXY header before TLS or clear text;
 * silent and one-byte peers closed at the timeout and counted; the default (off) still answers plain HTTP with 400.
 */
class ProtocolDetectionTest {

	/** Long enough for a client on a loaded machine; the test of the timeout sets a short one. */
	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<HybridWebServer> servers = new ArrayList<>();

	@AfterEach
	void stopAll() {
		this.servers.forEach(HybridWebServer::stop);
	}

	/** Answers with the scheme, the protocol and the client's address, as the exchange reports them. */
	private static void describe(Exchange exchange) throws IOException {
		TestServers.respond(exchange, 200, exchange.scheme() + " " + exchange.protocol() + " "
				+ exchange.remoteAddress().getAddress().getHostAddress());
	}

	private HybridWebServer start(boolean detection, HybridListener... listeners) {
		return start(detection ? TIMEOUT : null, listeners);
	}

	/** A TLS primary port, detecting with {@code timeout} unless it is {@code null}, and {@code listeners}. */
	private HybridWebServer start(Duration timeout, HybridListener... listeners) {
		HybridServerSettings settings = new HybridServerSettings();
		settings.setIoThreads(2);
		settings.setWorkers(4);
		settings.getHttp2().setEnabled(true);
		settings.setProtocolDetection(new ProtocolDetectionSettings(timeout != null, timeout));
		HybridWebServer server = new HybridWebServer(settings, InetAddress.getLoopbackAddress(), 0,
				TestTls.credentials(ClientAuth.NONE), ProtocolDetectionTest::describe, () -> {
				}, Shutdown.IMMEDIATE, "test");
		for (HybridListener listener : listeners) {
			server.addListener(listener, TestTls.credentials(ClientAuth.NONE));
		}
		this.servers.add(server);
		server.start();
		return server;
	}

	private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void theJdkClientGetsHttpsAndHttpOnTheSamePort() throws Exception {
		int port = start(true).getPort();
		HttpClient h2 = HttpClient.newBuilder()
			.sslContext(TestTls.clientContext(null))
			.version(HttpClient.Version.HTTP_2)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
		HttpResponse<String> https = get(h2, "https://localhost:" + port + "/");
		assertThat(https.body()).isEqualTo("https HTTP/2.0 127.0.0.1");
		assertThat(https.version()).isEqualTo(HttpClient.Version.HTTP_2);
		// Over http the same client asks for h2c with Upgrade, which the clear-text pipeline grants.
		HttpResponse<String> upgraded = get(h2, "http://localhost:" + port + "/");
		assertThat(upgraded.body()).isEqualTo("http HTTP/2.0 127.0.0.1");
		HttpClient http1 = TestTls.httpClient(TestTls.clientContext(null));
		assertThat(get(http1, "http://localhost:" + port + "/").body()).isEqualTo("http HTTP/1.1 127.0.0.1");
		assertThat(get(http1, "https://localhost:" + port + "/").body()).isEqualTo("https HTTP/1.1 127.0.0.1");
	}

	@Test
	void curlWithPriorKnowledgeAndOverTlsOnTheSamePort() throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
		int port = start(true).getPort();
		assertThat(run("curl", "-s", "--http2-prior-knowledge", "-w", " %{http_version}",
				"http://127.0.0.1:" + port + "/")).isEqualTo("http HTTP/2.0 127.0.0.1 2");
		assertThat(run("curl", "-s", "--cacert", caFile(), "-w", " %{http_version}", "https://localhost:" + port + "/"))
			.isEqualTo("https HTTP/2.0 127.0.0.1 2");
		assertThat(run("curl", "-s", "--http1.1", "-w", " %{http_version}", "http://127.0.0.1:" + port + "/"))
			.isEqualTo("http HTTP/1.1 127.0.0.1 1.1");
	}

	@Test
	void opensslClientOverTlsOnTheDetectingPort() throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
		int port = start(true).getPort();
		Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-alpn",
				"http/1.1", "-CAfile", caFile(), "-verify_return_error", "-ign_eof")
			.redirectErrorStream(true)
			.start();
		try (OutputStream in = openssl.getOutputStream()) {
			in.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		}
		String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
		assertThat(output).contains("Verify return code: 0 (ok)", "HTTP/1.1 200 OK", "https HTTP/1.1 127.0.0.1");
	}

	@Test
	void peersThatSendNothingOrOneByteAreClosedAtTheTimeoutAndCounted() throws Exception {
		HybridWebServer server = start(Duration.ofMillis(500));
		try (RawHttpConnection silent = new RawHttpConnection(server.getPort(), 10_000);
				RawHttpConnection oneByte = new RawHttpConnection(server.getPort(), 10_000)) {
			oneByte.send("G");
			assertThat(silent.isClosedByServer()).isTrue();
			assertThat(oneByte.isClosedByServer()).isTrue();
		}
		assertThat(server.getStats().rejections(Rejection.PROTOCOL_DETECTION)).isEqualTo(2);
	}

	@Test
	void bytesThatAreNeitherTlsNorHttpGetAClearTextBadRequest() throws Exception {
		HybridWebServer server = start(true);
		try (RawHttpConnection connection = new RawHttpConnection(server.getPort())) {
			Response response = connection.send(new byte[] { 0, 1, 2, 3, '\r', '\n', '\r', '\n' }).readResponse();
			assertThat(response.status()).isEqualTo(400);
		}
		assertThat(server.getStats().rejections(Rejection.PROTOCOL_DETECTION)).isZero();
	}

	@Test
	void withoutDetectionPlainHttpOnTheTlsPortStillGetsA400() throws Exception {
		HybridWebServer server = start(false);
		try (RawHttpConnection connection = new RawHttpConnection(server.getPort())) {
			Response response = connection.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse();
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.bodyText()).contains("This port speaks HTTPS");
		}
	}

	@Test
	void aProxyHeaderIsReadFirstThenTlsOrClearTextIsDetected() throws Exception {
		HybridWebServer server = start(false, HybridListener.tcp(0)
			.setName("balanced")
			.setAddress(InetAddress.getLoopbackAddress())
			.setSsl(true)
			.setProtocolDetection(new ProtocolDetectionSettings(true, TIMEOUT))
			.setProxyProtocol(new ProxyProtocolSettings(ProxyProtocolMode.OPTIONAL,
					List.of(CidrRange.parse("127.0.0.0/8")), Duration.ofSeconds(5))));
		int port = ((InetSocketAddress) server.getListenerAddresses().get("balanced")).getPort();
		String header = "PROXY TCP4 198.51.100.7 127.0.0.1 5555 " + port + "\r\n";
		// Made before connecting: on a loaded machine building it may take longer than a short detection timeout.
		SSLSocketFactory factory = TestTls.clientContext(null).getSocketFactory();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(header.getBytes(StandardCharsets.US_ASCII));
			try (SSLSocket tls = (SSLSocket) factory.createSocket(socket, "localhost", port, true)) {
				tls.startHandshake();
				assertThat(exchange(tls.getOutputStream(), tls.getInputStream())).endsWith("https HTTP/1.1 198.51.100.7");
			}
		}
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(header.getBytes(StandardCharsets.US_ASCII));
			assertThat(exchange(socket.getOutputStream(), socket.getInputStream()))
				.endsWith("http HTTP/1.1 198.51.100.7");
		}
	}

	@Test
	void detectionWithoutTlsFailsSayingWhatToChange() {
		HybridServerSettings settings = new HybridServerSettings();
		settings.setProtocolDetection(new ProtocolDetectionSettings(true, TIMEOUT));
		assertThatThrownBy(() -> new HybridWebServer(settings, null, 0, ProtocolDetectionTest::describe, () -> {
		}, Shutdown.IMMEDIATE, "test")).isInstanceOf(InvalidServerSettingsException.class)
			.hasMessageContaining("server.hybrid.protocol-detection")
			.hasMessageContaining("configure server.ssl, or turn protocol-detection off");
		assertThatThrownBy(() -> start(false, HybridListener.tcp(0)
			.setName("plain")
			.setProtocolDetection(new ProtocolDetectionSettings(true, TIMEOUT))))
			.isInstanceOf(InvalidServerSettingsException.class)
			.hasMessageContaining("listener 'plain'.protocol-detection")
			.hasMessageContaining("turn on its ssl");
	}

	/** Sends a GET that closes the connection, returns everything answered. */
	private static String exchange(OutputStream out, InputStream in) throws IOException {
		out.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
	}

	private static String caFile() throws Exception {
		return Path.of(ProtocolDetectionTest.class.getResource("/tls/ca.pem").toURI()).toString();
	}

	private static String run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return output;
	}

}
