package io.hybridserver.http.h1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.web.server.WebServerException;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.Exchange;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.transport.TransportKind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The loop holds back a body reader's wake-up while its socket reads fill their buffers (more bytes are most likely
 * waiting), so that a fast upload wakes the reader once per half buffer, not once per read. A read that fills its
 * buffer exactly with nothing behind it is followed by no further read on level-triggered epoll, NIO and io_uring:
 * the wake-up must still come. Over real sockets on each transport, a client sends a body in pieces whose sizes match
 * the read buffer sizes Netty's allocator picks, and waits for the application to have read each piece before sending
 * the next: a lost wake-up would stall a round until the body read's timeout (a minute here).
 */
class HeldBodyWakeTest {

	private static final int[] PIECES = { 65536, 65536, 16384, 8192, 8192, 4096, 4096, 2048, 2048, 1024, 1024, 65536,
			65536, 32768, 32768, 16384, 16384, 65536 };

	private HybridWebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	/** Reads the body and reports the bytes read so far after every read, flushed, as a line each. */
	private static void reportProgress(Exchange exchange) throws IOException {
		exchange.responseHeaders().set("Content-Type", "text/plain");
		byte[] buffer = new byte[256 * 1024];
		long total = 0;
		int n;
		while ((n = exchange.requestBody().read(buffer, 0, buffer.length)) != -1) {
			total += n;
			if (!exchange.isCommitted()) {
				// Committed after the first read: that read sends the 100 Continue the client waits for.
				exchange.commit(200, -1);
			}
			byte[] line = (total + "\n").getBytes(StandardCharsets.US_ASCII);
			exchange.write(line, 0, line.length);
			exchange.flush();
		}
		exchange.complete();
	}

	private int start(TransportKind transport, ExchangeHandler handler) {
		try {
			this.server = TestServers.start(handler, (settings) -> {
				settings.setTransport(transport);
				// A large buffer makes every piece below half of it: each one's wake-up may be held back.
				settings.getHttp()
					.setRequestBodyBufferSize(1024 * 1024)
					.setConnectionTimeout(Duration.ofSeconds(60));
			});
		}
		catch (WebServerException ex) {
			assumeTrue(transport != TransportKind.IO_URING, "io_uring is not allowed here: " + ex.getMessage());
			throw ex;
		}
		return this.server.getPort();
	}

	@ParameterizedTest
	@EnumSource(value = TransportKind.class, names = { "EPOLL", "NIO", "IO_URING" })
	void everyPieceReachesTheReaderWithoutWaitingForTheNext(TransportKind transport) throws Exception {
		int port = start(transport, HeldBodyWakeTest::reportProgress);
		long length = Arrays.stream(PIECES).asLongStream().sum();
		try (RawHttpConnection connection = new RawHttpConnection(port, 30_000)) {
			// Invited (100 Continue), the request reaches a worker before its body: with a 1 MiB buffer it would
			// otherwise wait at the body gate for the whole body or a full buffer.
			connection.send("POST /pieces HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: "
					+ length + "\r\n\r\n");
			ChunkedLines lines = new ChunkedLines(connection.input());
			OutputStream out = connection.output();
			long sent = 0;
			long slowestRoundNanos = 0;
			for (int piece : PIECES) {
				byte[] bytes = new byte[piece];
				Arrays.fill(bytes, (byte) 'b');
				long start = System.nanoTime();
				out.write(bytes);
				out.flush();
				sent += piece;
				long seen = 0;
				while (seen < sent) {
					seen = Long.parseLong(lines.next());
				}
				slowestRoundNanos = Math.max(slowestRoundNanos, System.nanoTime() - start);
				assertThat(seen).isEqualTo(sent);
			}
			// A lost wake-up costs a round the body read's timeout (60 s); a held one at most a millisecond.
			assertThat(Duration.ofNanos(slowestRoundNanos)).isLessThan(Duration.ofSeconds(10));
		}
	}

	/** The lines of a chunked response body, after its head. */
	private static final class ChunkedLines {

		private final InputStream in;

		private final StringBuilder pending = new StringBuilder();

		private boolean headRead;

		ChunkedLines(InputStream in) throws IOException {
			this.in = in;
			assertThat(line()).isEqualTo("HTTP/1.1 100 Continue");
			assertThat(line()).isEmpty();
		}

		String next() throws IOException {
			if (!this.headRead) {
				this.headRead = true;
				assertThat(line()).startsWith("HTTP/1.1 200");
				while (!line().isEmpty()) {
					// the response's fields
				}
			}
			while (this.pending.indexOf("\n") < 0) {
				int size = Integer.parseInt(line(), 16);
				assertThat(size).as("the body ended early").isPositive();
				this.pending.append(new String(this.in.readNBytes(size), StandardCharsets.US_ASCII));
				assertThat(line()).isEmpty();
			}
			int end = this.pending.indexOf("\n");
			String next = this.pending.substring(0, end);
			this.pending.delete(0, end + 1);
			return next;
		}

		private String line() throws IOException {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			int b;
			while ((b = this.in.read()) != '\n') {
				if (b == -1) {
					throw new IOException("The connection closed");
				}
				bytes.write(b);
			}
			String text = bytes.toString(StandardCharsets.US_ASCII);
			return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
		}

	}

}
