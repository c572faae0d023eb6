package io.hybridserver.bench.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Attackers that hold server resources by being slow, for bench/slow-clients.sh: many plaintext connections, each
 * moving one byte (or, for slow readers, one small read) per period, from one thread with non-blocking sockets. A
 * connection the server closes is opened again at once (at most {@value #REOPEN_PER_TICK} per tick), as a determined
 * attacker would, so the pressure stays on for the whole run.
 *
 * <ul>
 * <li>{@code slowloris}: a request head that never ends, one more header byte per period.</li>
 * <li>{@code slow-body}: a complete {@code POST /echo} head with {@code Content-Length: 1024}, then one body byte per
 * period.</li>
 * <li>{@code slow-read}: {@code GET /bytes} (a large response), reading at most 1 KiB of it per period through a small
 * receive buffer.</li>
 * </ul>
 *
 * Writes {@code READY_FILE} once every connection has been opened, and prints one {@code RESULT} line at the end with
 * the connections opened, the reopenings and the statuses of the answers the attackers got.
 */
final class SlowClients {

	private static final long TICK_MILLIS = 50;

	private static final int REOPEN_PER_TICK = 100;

	private static final byte[] LORIS_HEADER = "X-Slow: aaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.US_ASCII);

	private final String mode;

	private final InetSocketAddress address;

	private final String host;

	private final long periodNanos;

	private final ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);

	private final Map<String, Integer> statuses = new TreeMap<>();

	private long opened;

	private long openFailures;

	private SlowClients(String mode, URI url, long periodMillis) {
		this.mode = mode;
		this.host = url.getHost() + ":" + url.getPort();
		this.address = new InetSocketAddress(url.getHost(), url.getPort());
		this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
	}

	/** One attacking connection. */
	private static final class Slow {

		SocketChannel channel;

		long nextStepNanos;

		long step;

		/** The first bytes of the server's answer, for its status. */
		final StringBuilder answerStart = new StringBuilder();

	}

	static void run(String mode, String url, int connections, int seconds, long periodMillis, String readyFile)
			throws Exception {
		if (!mode.equals("slowloris") && !mode.equals("slow-body") && !mode.equals("slow-read")) {
			throw new IllegalArgumentException("mode must be slowloris, slow-body or slow-read, was " + mode);
		}
		URI target = URI.create(url);
		if (!"http".equals(target.getScheme())) {
			throw new IllegalArgumentException("slow clients speak plaintext HTTP only: " + url);
		}
		new SlowClients(mode, target, periodMillis).attack(connections, seconds, readyFile);
	}

	private void attack(int count, int seconds, String readyFile) throws Exception {
		Slow[] slow = new Slow[count];
		for (int i = 0; i < count; i++) {
			slow[i] = new Slow();
			open(slow[i]);
		}
		Files.writeString(Path.of(readyFile), "open=" + this.opened + "\n");
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long reopenings = 0;
		while (System.nanoTime() < end) {
			int reopenedThisTick = 0;
			long now = System.nanoTime();
			for (Slow one : slow) {
				if (one.channel == null) {
					if (reopenedThisTick < REOPEN_PER_TICK) {
						reopenedThisTick++;
						reopenings++;
						open(one);
					}
					continue;
				}
				if (now < one.nextStepNanos) {
					continue;
				}
				// Once per period, not per tick: the attackers share a core with the legitimate client, and a
				// thousand reads every tick would measure the attackers' cost to that client, not the server's.
				one.nextStepNanos += this.periodNanos;
				if (this.mode.equals("slow-read") || drain(one)) {
					step(one);
				}
			}
			Thread.sleep(TICK_MILLIS);
		}
		for (Slow one : slow) {
			close(one);
		}
		StringBuilder answers = new StringBuilder();
		this.statuses.forEach((status, n) -> answers.append(answers.length() == 0 ? "" : ";").append(status)
			.append(':').append(n));
		System.out.printf("RESULT mode=%s connections=%d opened=%d open_failures=%d reopenings=%d answers=%s%n",
				this.mode, count, this.opened, this.openFailures, reopenings,
				answers.length() == 0 ? "none" : answers);
	}

	private void open(Slow one) {
		try {
			SocketChannel channel = SocketChannel.open();
			if (this.mode.equals("slow-read")) {
				// A small window, so that the server's bytes wait in its own buffers instead of ours.
				channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
			}
			channel.socket().connect(this.address, 5_000);
			channel.configureBlocking(false);
			one.channel = channel;
			one.step = 0;
			one.answerStart.setLength(0);
			// Spread the connections' steps over the period, so that they do not all move in the same tick.
			one.nextStepNanos = System.nanoTime() + ThreadLocalRandom.current().nextLong(this.periodNanos);
			this.opened++;
			writeFully(channel, head().getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			this.openFailures++;
			close(one);
		}
	}

	private String head() {
		return switch (this.mode) {
			case "slowloris" -> "GET /json HTTP/1.1\r\nHost: " + this.host + "\r\n";
			case "slow-body" -> "POST /echo HTTP/1.1\r\nHost: " + this.host
					+ "\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n\r\n";
			default -> "GET /bytes HTTP/1.1\r\nHost: " + this.host + "\r\n\r\n";
		};
	}

	/** One period's worth of slowness: a byte sent, or a small read. */
	private void step(Slow one) {
		try {
			switch (this.mode) {
				case "slowloris" -> writeFully(one.channel,
						new byte[] { LORIS_HEADER[(int) (one.step % LORIS_HEADER.length)] });
				case "slow-body" -> {
					if (one.step < 1024) {
						writeFully(one.channel, new byte[] { (byte) ('a' + one.step % 26) });
					}
				}
				default -> {
					this.scratch.clear().limit(1024);
					int n = one.channel.read(this.scratch);
					if (n < 0) {
						close(one);
						return;
					}
					noteAnswer(one, n);
				}
			}
			one.step++;
		}
		catch (IOException ex) {
			close(one);
		}
	}

	/** Reads whatever the server sent (an error answer, usually); false once the server has closed. */
	private boolean drain(Slow one) {
		try {
			int n;
			while (true) {
				this.scratch.clear();
				n = one.channel.read(this.scratch);
				if (n <= 0) {
					break;
				}
				noteAnswer(one, n);
			}
			if (n < 0) {
				close(one);
				return false;
			}
			return true;
		}
		catch (IOException ex) {
			close(one);
			return false;
		}
	}

	private void noteAnswer(Slow one, int n) {
		if (one.answerStart.length() >= 12 || n <= 0) {
			return;
		}
		this.scratch.flip();
		while (this.scratch.hasRemaining() && one.answerStart.length() < 12) {
			one.answerStart.append((char) this.scratch.get());
		}
		if (one.answerStart.length() >= 12) {
			String status = one.answerStart.substring(9, 12);
			this.statuses.merge(status, 1, Integer::sum);
		}
	}

	private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		int spins = 0;
		while (buffer.hasRemaining()) {
			if (channel.write(buffer) == 0 && ++spins > 1000) {
				throw new IOException("The server takes no bytes");
			}
		}
	}

	private static void close(Slow one) {
		if (one.channel != null) {
			try {
				one.channel.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
			one.channel = null;
		}
	}

}
