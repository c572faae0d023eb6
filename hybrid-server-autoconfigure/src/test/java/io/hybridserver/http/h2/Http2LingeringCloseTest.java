package io.hybridserver.http.h2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.RawH2Connection;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.testsupport.TestTls;
import io.netty.handler.ssl.ClientAuth;

import static io.hybridserver.testsupport.RawH2Connection.PING;
import static io.hybridserver.testsupport.RawH2Connection.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection error ends an HTTP/2 connection with a lingering close (RFC 9113 5.4.1; the HTTP/1.1 twin is RFC 9112
 * 9.6): a client that is still sending when the server gives up on it reads the GOAWAY, then the end of the stream (no
 * reset), while the server reads on and throws away what still comes, for a bounded time and byte count. A PING flood
 * is the error here (the 1,001st PING in a second): its frames are small, so the client is in the middle of writing
 * when the GOAWAY is sent. Over h2c and over h2 with TLS, real sockets.
 */
class Http2LingeringCloseTest {

	private static final int ENHANCE_YOUR_CALM = 0xb;

	/** 1,000 PINGs, 17 KB: two of these in a second are a flood. */
	private static final byte[] PINGS = pings();

	private HybridWebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	private static byte[] pings() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < 1000; i++) {
			out.writeBytes(encode(PING, 0, 0, new byte[8]));
		}
		return out.toByteArray();
	}

	@Test
	void theGoAwayReachesAClientThatIsStillSendingOverH2c() throws Exception {
		this.server = TestServers.start((exchange) -> TestServers.respond(exchange, 200, "ok"),
				(s) -> s.getHttp2().setEnabled(true));
		try (RawH2Connection attacker = new RawH2Connection(this.server.getPort())) {
			assertGoAwayReadWhileSending(attacker, true);
		}
		assertServesOthers();
	}

	@Test
	void theGoAwayReachesAClientThatIsStillSendingOverTls() throws Exception {
		this.server = TestTls.start(TestTls.credentials(ClientAuth.NONE),
				(exchange) -> TestServers.respond(exchange, 200, "ok"), (s) -> s.getHttp2().setEnabled(true));
		try (RawH2Connection attacker = RawH2Connection.overTls(this.server.getPort(), TestTls.clientContext(null))) {
			// The server's close_notify comes before its FIN. The JDK's TLS client closes its own sending side when it
			// reads close_notify (a write after it fails in the client, "outbound has closed"), so here the client
			// floods until then, and what is checked is that it reads the GOAWAY and the close_notify, no reset.
			assertGoAwayReadWhileSending(attacker, false);
		}
	}

	/**
	 * The client floods with batches of 1,000 PINGs (the first is over the limit with the client's SETTINGS) and,
	 * with {@code writesAfterGoAway}, once its reader has seen the GOAWAY writes 16 batches more (270 KB): the server
	 * must still be taking them, so no write fails. Either way the reader must see the GOAWAY and then a clean end of
	 * stream. Closing at once, as the codec does, fails this: the unread bytes make the kernel answer with a reset,
	 * which fails the reads (and, at worst, destroys the GOAWAY) and the writes still to come (if they come after it;
	 * the old close was caught by the reads).
	 */
	private void assertGoAwayReadWhileSending(RawH2Connection attacker, boolean writesAfterGoAway) throws Exception {
		Writer writer = writesAfterGoAway ? new Writer(attacker, 8, 16) : new Writer(attacker, 64, 0);
		writer.start();
		writer.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(writer.isAlive()).as("writer done").isFalse();
		if (writesAfterGoAway) {
			assertThat(writer.failure).as("a write after the GOAWAY failed: the server did not linger").isNull();
		}
		assertThat(attacker.awaitClosed(20, TimeUnit.SECONDS)).as("the server closed its side").isTrue();
		assertThat(attacker.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
		assertThat(attacker.readFailure()).as("how the connection ended for the client").isNull();
		assertThat(this.server.getStats().rejections(Rejection.H2_FLOOD)).isEqualTo(1);
		assertThat(this.server.getStats().goAways(1, ENHANCE_YOUR_CALM)).isEqualTo(1);
		// The lingering ends on its own (the client neither closes nor sends any more): the time bound.
		await().atMost(Duration.ofSeconds(20)).until(() -> this.server.getActiveConnections() == 0);
	}

	@Test
	void aClientThatNeverStopsSendingIsClosedOnAfterTheBound() throws Exception {
		this.server = TestServers.start((exchange) -> TestServers.respond(exchange, 200, "ok"),
				(s) -> s.getHttp2().setEnabled(true));
		try (RawH2Connection attacker = new RawH2Connection(this.server.getPort())) {
			// Up to 256 MiB, far beyond the byte bound: the server stops taking them at its time or byte bound.
			Writer writer = new Writer(attacker, (256 * 1024 * 1024) / PINGS.length, 0);
			writer.start();
			writer.join(TimeUnit.SECONDS.toMillis(60));
			assertThat(writer.isAlive()).as("writer done").isFalse();
			assertThat(writer.failure).as("the server closed while the client was sending").isNotNull();
			assertThat(attacker.awaitClosed(20, TimeUnit.SECONDS)).isTrue();
			assertThat(attacker.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.server.getActiveConnections() == 0);
		assertServesOthers();
	}

	private void assertServesOthers() throws Exception {
		try (H2cClient client = new H2cClient(this.server.getPort())) {
			assertThat(client.get("/after").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
	}

	/**
	 * Writes batches of PINGs {@code batches} times, then, once the connection's reader has seen a GOAWAY,
	 * {@code afterGoAway} times more; it stops at the first write that fails.
	 */
	private static final class Writer extends Thread {

		private final RawH2Connection connection;

		private final int batches;

		private final int afterGoAway;

		private volatile IOException failure;

		Writer(RawH2Connection connection, int batches, int afterGoAway) {
			super("h2-flood-writer");
			setDaemon(true);
			this.connection = connection;
			this.batches = batches;
			this.afterGoAway = afterGoAway;
		}

		@Override
		public void run() {
			try {
				write(this.batches);
				if (this.afterGoAway > 0) {
					await().atMost(Duration.ofSeconds(20)).until(() -> this.connection.goAwayError() != -1);
					write(this.afterGoAway);
				}
			}
			catch (IOException ex) {
				this.failure = ex;
			}
		}

		private void write(int times) throws IOException {
			for (int i = 0; i < times; i++) {
				this.connection.write(PINGS);
			}
		}

	}

}
