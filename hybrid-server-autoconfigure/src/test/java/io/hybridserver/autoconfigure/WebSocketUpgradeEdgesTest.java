package io.hybridserver.autoconfigure;

import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

import io.hybridserver.apps.websocket.WebSocketTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.servlet.websocket.HybridServerContainer;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The edges of a WebSocket upgrade, on a server that allows one session at a time and reads an optional PROXY
 * protocol header: a client that leaves between the 101 decision and the switch gives its session slot back (else
 * the one slot would be gone for good), and a session reports the addresses its HTTP/1.1 handshake saw, the PROXY
 * header's, not the socket's.
 */
@SpringBootTest(classes = WebSocketTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.hybrid.websocket.max-sessions=1", "server.hybrid.proxy-protocol.mode=optional" })
class WebSocketUpgradeEdgesTest {

	@LocalServerPort
	int port;

	@Autowired
	ServletWebServerApplicationContext context;

	private HybridServerContainer container() {
		return (HybridServerContainer) this.context.getServletContext().getAttribute(HybridServerContainer.ATTRIBUTE);
	}

	/** One session at a time: the last test's session may still be closing. */
	@BeforeEach
	void awaitNoSession() throws InterruptedException {
		await(container()::sessionCount, 0, "sessions before the test");
	}

	@Test
	void aClientLeavingMidUpgradeGivesItsSessionSlotBack() throws Exception {
		HybridWebServer server = (HybridWebServer) this.context.getWebServer();
		HybridServerContainer container = container();
		WebSocketTestApplication.HOLD_REACHED.drainPermits();
		WebSocketTestApplication.HOLD_RELEASE.drainPermits();
		for (int i = 0; i < 20; i++) {
			// Half of the clients reset the connection, which the server hears at once, while the handshake is held;
			// the other half close it (FIN), which the server reads only once it reads again, after the switch.
			boolean reset = (i % 2) == 0;
			int before;
			try (RawHttpConnection http = new RawHttpConnection(this.port)) {
				http.send(RawWebSocket.upgradeRequest("/jakarta/echo/hold"));
				assertThat(WebSocketTestApplication.HOLD_REACHED.tryAcquire(20, TimeUnit.SECONDS))
					.as("the handshake reached its 101 decision").isTrue();
				assertThat(container.sessionCount()).as("the slot is taken").isEqualTo(1);
				before = server.getActiveConnections();
				if (reset) {
					http.socket().setSoLinger(true, 0);
				}
			}
			if (reset) {
				// The server has seen the client go before the servlet returns and the 101 would go out.
				await(() -> (server.getActiveConnections() < before) ? 1 : 0, 1, "the server saw the reset");
			}
			WebSocketTestApplication.HOLD_RELEASE.release();
			await(container::sessionCount, 0, "session slots after close " + (i + 1) + (reset ? " (reset)" : " (FIN)"));
		}
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/jakarta/echo/after")) {
			ws.sendText("still one slot");
			assertThat(ws.read().text()).isEqualTo("still one slot");
		}
		// A client that ends the TCP connection without a close frame ends the session too (1006).
		await(container::sessionCount, 0, "session slots at the end");
	}

	/**
	 * The 101 goes out once the endpoint's onOpen has returned, so that a client whose handshake completed finds its
	 * session in whatever onOpen put it (a chat room): a message another visitor sends next reaches it.
	 */
	@Test
	void theClientSeesThe101OnlyOnceOnOpenHasReturned() throws Exception {
		WebSocketTestApplication.OPEN_REACHED.drainPermits();
		WebSocketTestApplication.OPEN_RELEASE.drainPermits();
		try (RawHttpConnection http = new RawHttpConnection(this.port, 300)) {
			http.send(RawWebSocket.upgradeRequest("/jakarta/echo/held-open"));
			assertThat(WebSocketTestApplication.OPEN_REACHED.tryAcquire(20, TimeUnit.SECONDS))
				.as("the endpoint's onOpen was called").isTrue();
			assertThatExceptionOfType(SocketTimeoutException.class).as("no 101 while onOpen runs")
				.isThrownBy(http::readHead);
			WebSocketTestApplication.OPEN_RELEASE.release();
			http.socket().setSoTimeout(20_000);
			assertThat(http.readHead().status()).as("the 101 once onOpen returned").isEqualTo(101);
		}
		finally {
			WebSocketTestApplication.OPEN_RELEASE.release();
		}
	}

	@Test
	void theSessionReportsTheAddressesOfTheProxyHeader() throws Exception {
		try (RawWebSocket ws = RawWebSocket.openAfter(this.port, "PROXY TCP4 203.0.113.7 198.51.100.2 40000 8443\r\n",
				"/jakarta/address")) {
			ws.sendText("where?");
			assertThat(ws.read().text()).isEqualTo("/203.0.113.7:40000 /198.51.100.2:8443");
		}
	}

	@Test
	void withoutAProxyHeaderTheSessionReportsTheSocketsAddresses() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/jakarta/address")) {
			ws.sendText("where?");
			String local = ws.connection().socket().getLocalPort() + " /127.0.0.1:" + this.port;
			assertThat(ws.read().text()).isEqualTo("/127.0.0.1:" + local);
		}
	}

	private static void await(IntSupplier value, int expected, String what) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (value.getAsInt() != expected && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(value.getAsInt()).as(what).isEqualTo(expected);
	}

}
