package io.hybridserver.transport;

import java.io.IOException;
import java.net.SocketException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.hybrid.max-connections-per-address} over real sockets: one client address may hold that many
 * connections; one more is closed as soon as it is accepted and counted, and a slot frees when a connection closes.
 */
class ConnectionsPerAddressTest {

	private HybridWebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	@Test
	void connectionsOverTheBoundOfOneAddressAreRefusedAndCounted() throws Exception {
		this.server = TestServers.start(TestServers::echo, (settings) -> settings.setMaxConnectionsPerAddress(2));
		int port = this.server.getPort();
		try (RawHttpConnection first = new RawHttpConnection(port); RawHttpConnection second = new RawHttpConnection(port)) {
			assertServed(first);
			assertServed(second);
			try (RawHttpConnection third = new RawHttpConnection(port)) {
				assertThat(refused(third)).isTrue();
			}
			assertThat(this.server.getRefusedConnections()).isEqualTo(1);
			assertThat(this.server.getAcceptedConnections()).isEqualTo(2);
			// The two admitted connections go on being served.
			assertServed(first);
			first.close();
			// The slot frees once the server has seen the close; until then a new connection may still be refused.
			boolean servedAfterClose = false;
			for (int attempt = 0; attempt < 50 && !servedAfterClose; attempt++) {
				try (RawHttpConnection later = new RawHttpConnection(port)) {
					servedAfterClose = !refused(later);
				}
				if (!servedAfterClose) {
					Thread.sleep(100);
				}
			}
			assertThat(servedAfterClose).isTrue();
		}
	}

	@Test
	void noBoundByDefault() throws Exception {
		this.server = TestServers.start(TestServers::echo, (settings) -> {
		});
		int port = this.server.getPort();
		RawHttpConnection[] connections = new RawHttpConnection[20];
		try {
			for (int i = 0; i < connections.length; i++) {
				connections[i] = new RawHttpConnection(port);
				assertServed(connections[i]);
			}
		}
		finally {
			for (RawHttpConnection connection : connections) {
				if (connection != null) {
					connection.close();
				}
			}
		}
		assertThat(this.server.getRefusedConnections()).isZero();
	}

	private static void assertServed(RawHttpConnection connection) throws IOException {
		connection.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(connection.readResponse().bodyText()).isEqualTo("GET /x ");
	}

	/** Whether the server closed the connection instead of answering a request on it. */
	private static boolean refused(RawHttpConnection connection) throws IOException {
		try {
			connection.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
			return connection.input().read() == -1;
		}
		catch (SocketException ex) {
			return true;
		}
	}

}
