package io.hybridserver.accesslog;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer thread and its queue: offers never wait, a full queue drops and counts, a failing sink drops and counts,
 * and stopping writes every line queued before it.
 */
class AccessLogWriterTest {

	private final AccessLogPattern pattern = AccessLogPattern.compile("%U");

	private AccessLogEntry entry(String path) {
		EndedExchange exchange = new EndedExchange();
		exchange.target = path;
		return new AccessLogEntry(exchange, this.pattern.requestHeaderNames(), this.pattern.responseHeaderNames(),
				false);
	}

	@Test
	void aFloodWhileTheSinkIsStuckDropsAndCountsWithoutWaiting() throws Exception {
		CountDownLatch stuck = new CountDownLatch(1);
		CountDownLatch entered = new CountDownLatch(1);
		RecordingSink sink = new RecordingSink() {

			@Override
			public void write(CharSequence line) throws IOException {
				entered.countDown();
				try {
					stuck.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				super.write(line);
			}

		};
		AccessLogWriter writer = new AccessLogWriter(this.pattern, sink, 16);
		writer.start("test-accesslog");
		writer.offer(entry("/first"));
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		// The writer holds /first; the queue takes 16 more, the rest are dropped, and no offer waits for the sink.
		for (int i = 0; i < 1000; i++) {
			writer.offer(entry("/flood/" + i));
		}
		assertThat(writer.droppedQueueFull()).isEqualTo(1000 - 16);
		assertThat(writer.depth()).isEqualTo(16);
		stuck.countDown();
		writer.stop(10_000);
		assertThat(sink.lines).hasSize(17).startsWith("/first", "/flood/0").endsWith("/flood/15");
		assertThat(sink.closed).isTrue();
		assertThat(writer.written()).isEqualTo(17);
	}

	@Test
	void stopWritesEverythingQueuedThenFlushesAndCloses() throws Exception {
		RecordingSink sink = new RecordingSink();
		AccessLogWriter writer = new AccessLogWriter(this.pattern, sink, 1024);
		writer.start("test-accesslog");
		for (int i = 0; i < 500; i++) {
			writer.offer(entry("/" + i));
		}
		writer.stop(10_000);
		assertThat(sink.lines).hasSize(500).startsWith("/0").endsWith("/499");
		assertThat(sink.flushes).isPositive();
		assertThat(sink.closed).isTrue();
		assertThat(writer.droppedQueueFull()).isZero();
	}

	@Test
	void anIdleWriterIsWokenByTheNextLineAndFlushesIt() throws Exception {
		RecordingSink sink = new RecordingSink();
		AccessLogWriter writer = new AccessLogWriter(this.pattern, sink, 64);
		writer.start("test-accesslog");
		writer.offer(entry("/a"));
		sink.awaitFlushedLines(1);
		writer.offer(entry("/b"));
		sink.awaitFlushedLines(2);
		writer.stop(10_000);
		assertThat(sink.lines).containsExactly("/a", "/b");
	}

	@Test
	void aFailingSinkDropsAndCountsAndTheWriterGoesOn() throws Exception {
		RecordingSink sink = new RecordingSink() {

			@Override
			public void write(CharSequence line) throws IOException {
				if (line.toString().startsWith("/fail")) {
					throw new IOException("disk full");
				}
				super.write(line);
			}

		};
		AccessLogWriter writer = new AccessLogWriter(this.pattern, sink, 64);
		writer.start("test-accesslog");
		writer.offer(entry("/ok1"));
		writer.offer(entry("/fail1"));
		writer.offer(entry("/fail2"));
		writer.offer(entry("/ok2"));
		writer.stop(10_000);
		assertThat(sink.lines).containsExactly("/ok1", "/ok2");
		assertThat(writer.droppedWriteFailed()).isEqualTo(2);
	}

	/** Keeps what is written, and what had been flushed when. */
	static class RecordingSink implements AccessLogSink {

		final List<String> lines = new CopyOnWriteArrayList<>();

		volatile int flushes;

		volatile int flushedLines;

		volatile boolean closed;

		@Override
		public void open() {
		}

		@Override
		public void write(CharSequence line) throws IOException {
			this.lines.add(line.toString());
		}

		@Override
		public synchronized void flush() {
			this.flushes++;
			this.flushedLines = this.lines.size();
			notifyAll();
		}

		@Override
		public void close() {
			this.closed = true;
		}

		synchronized void awaitFlushedLines(int count) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (this.flushedLines < count) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				assertThat(left).as("lines flushed in time").isPositive();
				wait(left);
			}
		}

	}

}
