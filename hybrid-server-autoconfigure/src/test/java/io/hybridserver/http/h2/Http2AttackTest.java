package io.hybridserver.http.h2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.RawH2Connection;
import io.hybridserver.testsupport.TestServers;

import static io.hybridserver.testsupport.RawH2Connection.CONTINUATION;
import static io.hybridserver.testsupport.RawH2Connection.DATA;
import static io.hybridserver.testsupport.RawH2Connection.END_HEADERS;
import static io.hybridserver.testsupport.RawH2Connection.END_STREAM;
import static io.hybridserver.testsupport.RawH2Connection.GET_HEADERS;
import static io.hybridserver.testsupport.RawH2Connection.HEADERS;
import static io.hybridserver.testsupport.RawH2Connection.PING;
import static io.hybridserver.testsupport.RawH2Connection.PRIORITY;
import static io.hybridserver.testsupport.RawH2Connection.RST_STREAM;
import static io.hybridserver.testsupport.RawH2Connection.SETTINGS;
import static io.hybridserver.testsupport.RawH2Connection.WINDOW_UPDATE;
import static io.hybridserver.testsupport.RawH2Connection.encode;
import static io.hybridserver.testsupport.RawH2Connection.int32;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The known HTTP/2 attacks, each run with raw frames over a real socket against the engine: the offending connection
 * gets GOAWAY with the error RFC 9113 names and is closed (or, for streams beyond the limit, the stream alone is
 * refused), the attack is counted in {@code requests.rejected}, and a well-behaved client on another connection is
 * served afterwards.
 */
class Http2AttackTest {

	private static final int ENHANCE_YOUR_CALM = 0xb;

	private static final int PROTOCOL_ERROR = 0x1;

	private static final int REFUSED_STREAM = 0x7;

	private static final int CANCEL = 0x8;

	private static final int INTERNAL_ERROR = 0x2;

	private HybridWebServer server;

	private final AtomicInteger handled = new AtomicInteger();

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	private int start(Consumer<HybridServerSettings> settings) {
		this.server = TestServers.start((exchange) -> {
			this.handled.incrementAndGet();
			TestServers.respond(exchange, 200, "ok");
		}, (s) -> {
			s.getHttp2().setEnabled(true);
			settings.accept(s);
		});
		return this.server.getPort();
	}

	/** Writes {@code batch} again and again until the server closes the connection or {@code times} is reached. */
	private static void flood(RawH2Connection connection, byte[] batch, int times) {
		try {
			for (int i = 0; i < times; i++) {
				connection.write(batch);
			}
		}
		catch (IOException ex) {
			// The server closed the connection: the point of the test.
		}
	}

	private static byte[] repeat(int count, java.util.function.IntFunction<byte[]> frame) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int i = 0; i < count; i++) {
			out.writeBytes(frame.apply(i));
		}
		return out.toByteArray();
	}

	private void assertClosedWith(RawH2Connection attacker, int error, Rejection reason) throws Exception {
		assertThat(attacker.awaitClosed(20, TimeUnit.SECONDS)).as("connection closed").isTrue();
		assertThat(attacker.goAwayError()).isEqualTo(error);
		assertThat(this.server.getStats().rejections(reason)).isEqualTo(1);
		assertServesOthers();
	}

	private void assertServesOthers() throws Exception {
		try (H2cClient client = new H2cClient(this.server.getPort())) {
			assertThat(client.get("/after").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
	}

	@Test
	void rapidResetIsStoppedAfterTheResetLimit() throws Exception {
		int port = start((s) -> {
		});
		int pairs = 5_000;
		try (RawH2Connection attacker = new RawH2Connection(port)) {
			// HEADERS then RST_STREAM(CANCEL), stream after stream (CVE-2023-44487), 100 pairs per write.
			for (int batch = 0; batch < pairs / 100; batch++) {
				int first = 1 + batch * 200;
				byte[] bytes = repeat(100, (i) -> {
					int stream = first + 2 * i;
					ByteArrayOutputStream pair = new ByteArrayOutputStream();
					pair.writeBytes(encode(HEADERS, END_HEADERS | END_STREAM, stream, GET_HEADERS));
					pair.writeBytes(encode(RST_STREAM, 0, stream, int32(CANCEL)));
					return pair.toByteArray();
				});
				try {
					attacker.write(bytes);
				}
				catch (IOException ex) {
					break;
				}
				if (batch == 0) {
					// During the attack (100 resets in, under the limit): another connection is served.
					assertServesOthers();
				}
			}
			assertClosedWith(attacker, ENHANCE_YOUR_CALM, Rejection.H2_FLOOD);
		}
		// The application saw at most the streams opened before the 200th reset and those in flight with them (the
		// two legitimate requests aside), not the 5,000 the attacker opened.
		assertThat(this.handled.get() - 2).as("application calls for reset streams").isLessThanOrEqualTo(200 + 100);
	}

	@Test
	void madeYouResetIsStoppedAfterTheResetLimit() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.server = TestServers.start((exchange) -> {
			if (!exchange.target().equals("/after")) {
				// The attacker's streams stay open until their reset: their answer never races the bad frame.
				release.await(20, TimeUnit.SECONDS);
			}
			TestServers.respond(exchange, 200, "ok");
		}, (s) -> s.getHttp2().setEnabled(true));
		try (RawH2Connection attacker = new RawH2Connection(this.server.getPort())) {
			// CVE-2025-8671: each stream gets a frame that is a stream error (a WINDOW_UPDATE of 0), so the server
			// resets it: the client makes the server do the resetting.
			for (int batch = 0; batch < 50; batch++) {
				int first = 1 + batch * 200;
				byte[] bytes = repeat(100, (i) -> {
					int stream = first + 2 * i;
					ByteArrayOutputStream pair = new ByteArrayOutputStream();
					pair.writeBytes(encode(HEADERS, END_HEADERS | END_STREAM, stream, GET_HEADERS));
					pair.writeBytes(encode(WINDOW_UPDATE, 0, stream, int32(0)));
					return pair.toByteArray();
				});
				try {
					attacker.write(bytes);
				}
				catch (IOException ex) {
					break;
				}
			}
			assertThat(attacker.awaitClosed(20, TimeUnit.SECONDS)).as("connection closed").isTrue();
			assertThat(this.server.getStats().rejections(Rejection.H2_FLOOD)).isEqualTo(1);
			assertThat(this.server.getStats().goAways(1, ENHANCE_YOUR_CALM)).as("GOAWAY sent").isEqualTo(1);
			// The attacker is still writing when the server gives up: the server half-closes after its GOAWAY and
			// throws away what still comes (a lingering close), so no reset can destroy the GOAWAY before it is read.
			assertThat(attacker.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
			assertThat(attacker.readFailure()).as("how the connection ended for the attacker").isNull();
			assertThat(attacker.resets).isNotEmpty().allSatisfy((reset) -> assertThat(reset[1]).isEqualTo(PROTOCOL_ERROR));
		}
		finally {
			// The workers held by the attacker's streams (a reset does not stop a handler) are let go first.
			release.countDown();
		}
		assertServesOthers();
	}

	@Test
	void continuationFloodOfLargeFragmentsIsStoppedByTheHeaderListBound() throws Exception {
		int port = start((s) -> {
		});
		try (RawH2Connection attacker = new RawH2Connection(port)) {
			attacker.frame(HEADERS, 0, 1, GET_HEADERS);
			// Endless CONTINUATION frames without END_HEADERS (CVE-2024-27316 family), each carrying a 4 KiB
			// literal header field: the block outgrows the header list bound long before memory does.
			byte[] fragment = new byte[4 + 4096];
			fragment[0] = 0x00; // literal without indexing, new name
			fragment[1] = 0x01;
			fragment[2] = 'x';
			fragment[3] = 0x7f; // value length 4096 as an HPACK integer: 127 + 3969
			byte[] frame = encode(CONTINUATION, 0, 1, fragment);
			flood(attacker, frame, 10_000);
			// The codec's bound on a header block being collected: PROTOCOL_ERROR once it passes a quarter over
			// max-header-list-size, the same rule as against HPACK bombs.
			assertThat(this.handled.get()).isZero();
			assertClosedWith(attacker, PROTOCOL_ERROR, Rejection.H2_PROTOCOL_ERROR);
		}
	}

	@Test
	void continuationFloodOfEmptyFramesIsStopped() throws Exception {
		int port = start((s) -> {
		});
		try (RawH2Connection attacker = new RawH2Connection(port)) {
			attacker.frame(HEADERS, 0, 1, GET_HEADERS);
			flood(attacker, repeat(1000, (i) -> encode(CONTINUATION, 0, 1, new byte[0])), 1_000);
			assertClosedWith(attacker, ENHANCE_YOUR_CALM, Rejection.H2_FLOOD);
		}
		assertThat(this.handled.get()).isEqualTo(1);
	}

	@Test
	void settingsFloodIsStopped() throws Exception {
		int port = start((s) -> {
		});
		try (RawH2Connection attacker = new RawH2Connection(port)) {
			flood(attacker, repeat(1000, (i) -> encode(SETTINGS, 0, 0, new byte[0])), 1_000);
			assertClosedWith(attacker, ENHANCE_YOUR_CALM, Rejection.H2_FLOOD);
		}
	}

	@Test
	void pingFloodIsStopped() throws Exception {
		int port = start((s) -> {
		});
		try (RawH2Connection attacker = new RawH2Connection(port)) {
			flood(attacker, repeat(1000, (i) -> encode(PING, 0, 0, new byte[8])), 1_000);
			assertClosedWith(attacker, ENHANCE_YOUR_CALM, Rejection.H2_FLOOD);
		}
	}

	@Test
	void priorityFloodIsStopped() throws Exception {
		int port = start((s) -> {
		});
		try (RawH2Connection attacker = new RawH2Connection(port)) {
			flood(attacker, repeat(1000, (i) -> encode(PRIORITY, 0, 1 + 2 * i, new byte[] { 0, 0, 0, 0, 16 })), 1_000);
			assertClosedWith(attacker, ENHANCE_YOUR_CALM, Rejection.H2_FLOOD);
		}
	}

	@Test
	void emptyDataFloodIsStopped() throws Exception {
		int port = start((s) -> {
		});
		try (RawH2Connection attacker = new RawH2Connection(port)) {
			attacker.frame(HEADERS, END_HEADERS, 1, GET_HEADERS);
			flood(attacker, repeat(1000, (i) -> encode(DATA, 0, 1, new byte[0])), 1_000);
			assertClosedWith(attacker, ENHANCE_YOUR_CALM, Rejection.H2_FLOOD);
		}
	}

	@Test
	void aStreamBeyondMaxConcurrentStreamsIsRefusedAndTheConnectionGoesOn() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		this.server = TestServers.start((exchange) -> {
			release.await(20, TimeUnit.SECONDS);
			TestServers.respond(exchange, 200, "ok");
		}, (s) -> {
			s.getHttp2().setEnabled(true);
			s.getHttp2().setMaxConcurrentStreams(2);
		});
		try (RawH2Connection attacker = new RawH2Connection(this.server.getPort())) {
			// Sent before the client could have seen the server's SETTINGS: the limit holds all the same.
			for (int stream = 1; stream <= 5; stream += 2) {
				attacker.frame(HEADERS, END_HEADERS | END_STREAM, stream, GET_HEADERS);
			}
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (attacker.resets.isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(attacker.resets).singleElement().satisfies((reset) -> {
				assertThat(reset[0]).isEqualTo(5);
				assertThat(reset[1]).isEqualTo(REFUSED_STREAM);
			});
			assertThat(attacker.goAwayError()).isEqualTo(-1);
			release.countDown();
			assertServesOthers();
		}
	}

	@Test
	void aZeroWindowStallHoldsNoWorkerPastTheConnectionTimeout() throws Exception {
		AtomicReference<IOException> writeFailure = new AtomicReference<>();
		CountDownLatch handlerDone = new CountDownLatch(1);
		this.server = TestServers.start((exchange) -> {
			byte[] chunk = new byte[8192];
			try {
				for (int i = 0; i < 128; i++) {
					exchange.write(chunk, 0, chunk.length);
				}
				exchange.complete();
			}
			catch (IOException ex) {
				writeFailure.set(ex);
			}
			finally {
				handlerDone.countDown();
			}
		}, (s) -> {
			s.getHttp2().setEnabled(true);
			s.getHttp().setConnectionTimeout(Duration.ofSeconds(1));
		});
		try (RawH2Connection staller = new RawH2Connection(this.server.getPort())) {
			// SETTINGS_INITIAL_WINDOW_SIZE = 0: the client never lets a byte of any response body through.
			staller.frame(SETTINGS, 0, 0, new byte[] { 0, 4, 0, 0, 0, 0 });
			staller.frame(HEADERS, END_HEADERS | END_STREAM, 1, GET_HEADERS);
			// The worker blocked at the high-water mark is released by the write timeout, not by the client.
			assertThat(handlerDone.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(writeFailure.get()).isInstanceOf(SocketTimeoutException.class);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (staller.resets.isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			// The stalled stream alone is reset; the connection stays (its other streams are not at fault).
			assertThat(staller.resets).singleElement().satisfies((reset) -> {
				assertThat(reset[0]).isEqualTo(1);
				assertThat(reset[1]).isEqualTo(INTERNAL_ERROR);
			});
			assertThat(staller.goAwayError()).isEqualTo(-1);
			assertThat(this.server.getStats().exchangesInFlight()).isZero();
		}
	}

	@Test
	void theLastStreamIdIsServedAndLowerIdsAfterItAreNot() throws Exception {
		int port = start((s) -> {
		});
		try (RawH2Connection client = new RawH2Connection(port)) {
			// Ids only have to increase (RFC 9113 5.1.1): a client may jump to the last one, 2^31-1.
			int last = Integer.MAX_VALUE;
			client.frame(HEADERS, END_HEADERS | END_STREAM, last, GET_HEADERS);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (!client.headers.contains(last) && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(client.headers).containsExactly(last);
			assertThat(this.handled).hasValue(1);
			// No new stream can follow on this connection: a lower id is not a new stream, and never reaches the
			// application (RFC 9113 asks for a connection error; Netty ignores it, see docs/http2.md).
			client.frame(HEADERS, END_HEADERS | END_STREAM, 1, GET_HEADERS);
			client.frame(PING, 0, 0, new byte[8]);
			// The PING's ack says the server read the HEADERS before it.
			deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (client.pingAcks.get() == 0 && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(client.pingAcks).hasValue(1);
			Thread.sleep(100);
			assertThat(this.handled).hasValue(1);
			assertThat(client.headers).containsExactly(last);
		}
		// The client opens a new connection, as the RFC says it must.
		assertServesOthers();
	}

}
