package io.hybridserver.boot;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerException;

import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.Exchange;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.transport.TransportKind;
import io.hybridserver.transport.TransportUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Several listeners on one engine: more TCP ports and Unix domain sockets beside the primary port, on every transport
 * that runs here, the socket file's life (stale, live, permissions, removal), the redirect listener, and stop and
 * graceful shutdown closing them all.
 */
class ListenersTest {

	@TempDir
	Path dir;

	private final List<HybridWebServer> servers = new ArrayList<>();

	@AfterEach
	void stopAll() {
		this.servers.forEach(HybridWebServer::stop);
	}

	/** Answers with where the request came from and went to, as the exchange reports them. */
	private static void addresses(Exchange exchange) throws IOException {
		TestServers.respond(exchange, 200, exchange.scheme() + " " + exchange.remoteAddress().getAddress().getHostAddress()
				+ ":" + exchange.remoteAddress().getPort() + " -> " + exchange.localAddress().getPort() + " "
				+ exchange.target());
	}

	private HybridWebServer start(ExchangeHandler handler, Consumer<HybridServerSettings> settings, Shutdown shutdown,
			HybridListener... listeners) {
		HybridServerSettings serverSettings = new HybridServerSettings();
		serverSettings.setIoThreads(2);
		serverSettings.setWorkers(4);
		settings.accept(serverSettings);
		HybridWebServer server = new HybridWebServer(serverSettings, InetAddress.getLoopbackAddress(), 0, handler,
				() -> {
				}, shutdown, "test");
		for (HybridListener listener : listeners) {
			server.addListener(listener, null);
		}
		this.servers.add(server);
		server.start();
		return server;
	}

	private HybridWebServer start(HybridListener... listeners) {
		return start(ListenersTest::addresses, (s) -> {
		}, Shutdown.IMMEDIATE, listeners);
	}

	private static int port(HybridWebServer server, String name) {
		return ((InetSocketAddress) server.getListenerAddresses().get(name)).getPort();
	}

	private static Response get(int port, String target) throws IOException {
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			return connection.send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.readResponse();
		}
	}

	private static Response get(Path socket, String target) throws IOException {
		try (RawHttpConnection connection = RawHttpConnection.unix(socket)) {
			return connection.send("GET " + target + " HTTP/1.1\r\nHost: app.local\r\nConnection: close\r\n\r\n")
				.readResponse();
		}
	}

	@ParameterizedTest
	@EnumSource(value = TransportKind.class, names = { "EPOLL", "IO_URING", "NIO" })
	void aSecondPortAndAUnixSocketServeBesideThePrimaryOnEachTransport(TransportKind transport) throws Exception {
		Path socket = this.dir.resolve("app.sock");
		HybridWebServer server;
		try {
			server = start(ListenersTest::addresses, (s) -> s.setTransport(transport), Shutdown.IMMEDIATE,
					HybridListener.tcp(0).setName("admin").setAddress(InetAddress.getLoopbackAddress()),
					HybridListener.unixSocket(socket).setName("sidecar"));
		}
		catch (WebServerException ex) {
			// io_uring is refused in some sandboxes; the failure then names the native cause.
			assumeThat(ex.getCause()).isNotInstanceOf(TransportUnavailableException.class);
			throw ex;
		}
		assertThat(server.getListenerAddresses()).containsOnlyKeys("primary", "admin", "sidecar");
		int admin = port(server, "admin");
		assertThat(admin).isNotEqualTo(server.getPort());
		assertThat(server.getPort()).isEqualTo(port(server, "primary"));
		assertThat(get(server.getPort(), "/p").bodyText()).matches("http 127\\.0\\.0\\.1:\\d+ -> " + server.getPort() + " /p");
		assertThat(get(admin, "/a").bodyText()).endsWith(" -> " + admin + " /a");
		// Over the Unix socket the peer is this machine, port 0, and the local port is 0.
		assertThat(get(socket, "/u?x=1").bodyText()).isEqualTo("http 127.0.0.1:0 -> 0 /u?x=1");
		assertThat(Files.exists(socket)).isTrue();

		server.stop();
		assertThat(Files.exists(socket)).as("socket file removed at stop").isFalse();
		assertThatThrownBy(() -> get(admin, "/")).isInstanceOf(ConnectException.class);
		assertThat(server.getListenerAddresses()).isEmpty();
		// And a stopped server starts again with all its listeners.
		server.start();
		assertThat(get(socket, "/again").bodyText()).endsWith("/again");
		assertThat(get(port(server, "admin"), "/again").status()).isEqualTo(200);
	}

	@ParameterizedTest
	@EnumSource(value = TransportKind.class, names = { "EPOLL", "IO_URING" })
	void reusePortBindsOneAcceptorPerLoopOnEveryTcpListener(TransportKind transport) throws Exception {
		HybridWebServer server;
		try {
			server = start(ListenersTest::addresses, (s) -> {
				s.setTransport(transport);
				s.setReusePort(true);
			}, Shutdown.IMMEDIATE, HybridListener.tcp(0).setName("second"),
					HybridListener.unixSocket(this.dir.resolve("r.sock")).setName("uds"));
		}
		catch (WebServerException ex) {
			assumeThat(ex.getCause()).isNotInstanceOf(TransportUnavailableException.class);
			throw ex;
		}
		// Two I/O threads: two sockets share each TCP port; a Unix socket has one.
		assertThat(server.acceptorCount("primary")).isEqualTo(2);
		assertThat(server.acceptorCount("second")).isEqualTo(2);
		assertThat(server.acceptorCount("uds")).isEqualTo(1);
		int second = port(server, "second");
		for (int i = 0; i < 20; i++) {
			assertThat(get(server.getPort(), "/p" + i).status()).isEqualTo(200);
			assertThat(get(second, "/s" + i).status()).isEqualTo(200);
		}
		int primary = server.getPort();
		server.stop();
		assertThatThrownBy(() -> get(primary, "/")).isInstanceOf(ConnectException.class);
		assertThatThrownBy(() -> get(second, "/")).isInstanceOf(ConnectException.class);
	}

	@Test
	void reusePortOnATransportWithoutItFailsStartupSayingWhatToChange() {
		assertThatThrownBy(() -> start(TestServers::echo, (s) -> {
			s.setTransport(TransportKind.NIO);
			s.setReusePort(true);
		}, Shutdown.IMMEDIATE)).isInstanceOf(WebServerException.class)
			.hasRootCauseInstanceOf(InvalidServerSettingsException.class)
			.hasMessageContaining("server.hybrid.reuse-port needs the epoll or io-uring transport")
			.hasMessageContaining("runs on nio");
	}

	@Test
	void aStaleSocketFileIsReplaced() throws Exception {
		Path socket = this.dir.resolve("stale.sock");
		// A socket file whose owner is gone: bound, then closed without removing the file.
		ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		old.bind(UnixDomainSocketAddress.of(socket));
		old.close();
		assertThat(Files.exists(socket)).isTrue();
		start(HybridListener.unixSocket(socket));
		assertThat(get(socket, "/fresh").status()).isEqualTo(200);
	}

	@Test
	void aLiveSocketOfAnotherProcessIsNotTakenOver() throws Exception {
		Path socket = this.dir.resolve("live.sock");
		try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
			other.bind(UnixDomainSocketAddress.of(socket));
			assertThatThrownBy(() -> start(HybridListener.unixSocket(socket).setName("uds")))
				.isInstanceOf(WebServerException.class)
				.hasMessageContaining("Listener 'uds'")
				.hasMessageContaining("another process accepts connections on it");
			assertThat(Files.exists(socket)).as("the other process's socket is left alone").isTrue();
		}
	}

	@Test
	void aFileThatIsNotASocketIsLeftAloneAndStartupFails() throws Exception {
		Path file = this.dir.resolve("notes.txt");
		Files.writeString(file, "keep me");
		assertThatThrownBy(() -> start(HybridListener.unixSocket(file)))
			.isInstanceOf(WebServerException.class)
			.hasMessageContaining("not a socket");
		assertThat(Files.readString(file)).isEqualTo("keep me");
	}

	@Test
	void theSocketFileGetsTheConfiguredPermissions() throws Exception {
		Path socket = this.dir.resolve("perm.sock");
		start(HybridListener.unixSocket(socket).setUnixSocketPermissions("660"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
	}

	@Test
	void aListenerWithoutPortOrSocketFailsWithAMessage() {
		HybridServerSettings settings = new HybridServerSettings();
		HybridWebServer server = new HybridWebServer(settings, null, 0, TestServers::echo, () -> {
		}, Shutdown.IMMEDIATE, "test");
		assertThatThrownBy(() -> server.addListener(new HybridListener().setName("x"), null))
			.isInstanceOf(InvalidServerSettingsException.class)
			.hasMessageContaining("needs exactly one of port and unix-socket");
		assertThatThrownBy(() -> server.addListener(HybridListener.tcp(0).setSsl(true), null))
			.isInstanceOf(InvalidServerSettingsException.class)
			.hasMessageContaining("ssl-bundle");
		server.addListener(HybridListener.tcp(0).setName("twin"), null);
		assertThatThrownBy(() -> server.addListener(HybridListener.tcp(0).setName("twin"), null))
			.isInstanceOf(InvalidServerSettingsException.class)
			.hasMessageContaining("Two listeners are named 'twin'");
	}

	@Test
	void aPortInUseNamesTheListenersPort() throws Exception {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThatThrownBy(() -> start(HybridListener.tcp(taken.getLocalPort())
				.setAddress(InetAddress.getLoopbackAddress())))
				.isInstanceOfSatisfying(PortInUseException.class,
						(ex) -> assertThat(ex.getPort()).isEqualTo(taken.getLocalPort()));
		}
	}

	@Test
	void theRedirectListenerSendsClientsToTheHttpsPortWithPathAndQuery() throws Exception {
		HybridWebServer server = start(HybridListener.tcp(0).setName("redirect").setRedirectToHttps(true));
		int redirect = port(server, "redirect");
		try (RawHttpConnection connection = new RawHttpConnection(redirect)) {
			Response response = connection
				.send("GET /a/b%20c?x=1&y=2 HTTP/1.1\r\nHost: shop.example:" + redirect + "\r\n\r\n")
				.readResponse();
			assertThat(response.status()).isEqualTo(301);
			// No TLS listener here: the HTTPS default port, left out of the URL.
			assertThat(response.header("Location")).isEqualTo("https://shop.example/a/b%20c?x=1&y=2");
			assertThat(response.header("Content-Length")).isEqualTo("0");
			// Keep-alive holds: a POST on the same connection keeps its method with 308.
			response = connection.send("POST /form HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 3\r\n\r\nabc")
				.readResponse();
			assertThat(response.status()).isEqualTo(308);
			assertThat(response.header("Location")).isEqualTo("https://shop.example/form");
		}
		// The primary port still serves the application.
		assertThat(get(server.getPort(), "/app").status()).isEqualTo(200);
	}

	@Test
	void gracefulShutdownClosesEveryListenerAndLetsARunningRequestFinish() throws Exception {
		Path socket = this.dir.resolve("graceful.sock");
		CompletableFuture<Void> release = new CompletableFuture<>();
		CompletableFuture<Void> entered = new CompletableFuture<>();
		HybridWebServer server = start((exchange) -> {
			entered.complete(null);
			release.get(10, TimeUnit.SECONDS);
			TestServers.respond(exchange, 200, "finished");
		}, (s) -> {
		}, Shutdown.GRACEFUL, HybridListener.unixSocket(socket), HybridListener.tcp(0).setName("second"));
		int second = port(server, "second");
		RawHttpConnection slow = RawHttpConnection.unix(socket);
		slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
		entered.get(10, TimeUnit.SECONDS);
		CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
		server.shutDownGracefully(result::complete);
		// Accepting stops everywhere while the request runs.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (Files.exists(socket) && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(Files.exists(socket)).isFalse();
		// Refused, or reset when the connection reached the backlog of a listener closing at that moment: not served.
		assertThatThrownBy(() -> get(second, "/")).isInstanceOf(IOException.class);
		release.complete(null);
		Response response = slow.readResponse();
		assertThat(response.bodyText()).isEqualTo("finished");
		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(GracefulShutdownResult.IDLE);
		slow.close();
		assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("finished");
	}

}
