package io.hybridserver.accesslog;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jctools.queues.MessagePassingQueue;

import io.hybridserver.queues.LockFreeQueues;

/**
 * The one thread that formats and writes lines, fed by the event loops through a bounded lock-free queue. Offering
 * never waits: a full queue drops the entry and counts it.
 *
 * <p>While lines come, the thread works in ticks: it writes what is queued, flushes, and sleeps a tick, and offers do
 * not wake it (unless the queue is a quarter full). Waking it for every line, and flushing every time the queue ran
 * empty, cost each request a futex wake-up and a write(2) at a few thousand requests a second, more than the line
 * itself (the benchmark's context switches per request showed it). A writer that found nothing in a tick sleeps until
 * the next offer wakes it, so an idle server costs nothing and its file is current within a tick.
 */
final class AccessLogWriter implements Runnable {

	private static final Log logger = LogFactory.getLog(AccessLogWriter.class);

	private static final long IDLE_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** How long the working writer sleeps between batches: the most a line waits to be written and flushed. */
	static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final MessagePassingQueue<AccessLogEntry> queue;

	private final AccessLogPattern pattern;

	private final AccessLogSink sink;

	private final LongAdder droppedQueueFull = new LongAdder();

	private final LongAdder droppedWriteFailed = new LongAdder();

	private final LongAdder written = new LongAdder();

	private final StringBuilder line = new StringBuilder(256);

	private volatile boolean running = true;

	/** Asleep until an offer wakes it: the writer found nothing to do for a whole tick. */
	private volatile boolean sleeping;

	/** The queue depth at which an offer wakes even a ticking writer. */
	private final int wakeDepth;

	private volatile Thread thread;

	private boolean failing;

	AccessLogWriter(AccessLogPattern pattern, AccessLogSink sink, int capacity) {
		this.queue = LockFreeQueues.mpsc(capacity);
		this.wakeDepth = Math.max(1, capacity / 4);
		this.pattern = pattern;
		this.sink = sink;
	}

	/** Starts the thread; the sink is open already. */
	void start(String name) {
		Thread writer = new Thread(this, name);
		writer.setDaemon(true);
		this.thread = writer;
		writer.start();
	}

	/** Any thread, typically an event loop: queues an entry or, when the queue is full, drops and counts it. */
	void offer(AccessLogEntry entry) {
		if (!this.queue.offer(entry)) {
			this.droppedQueueFull.increment();
			return;
		}
		// Pairs with the writer's store of 'sleeping' before its last look at the queue: one of the two sees the other.
		VarHandle.fullFence();
		if (this.sleeping || this.queue.size() >= this.wakeDepth) {
			LockSupport.unpark(this.thread);
		}
	}

	/** Writes what is queued, then flushes and closes the sink; waits for the thread at most the given time. */
	void stop(long timeoutMillis) throws InterruptedException {
		this.running = false;
		Thread writer = this.thread;
		if (writer != null) {
			LockSupport.unpark(writer);
			writer.join(timeoutMillis);
			if (writer.isAlive()) {
				logger.warn("The access log writer did not finish within " + timeoutMillis + " ms; "
						+ this.queue.size() + " lines may be lost");
			}
		}
	}

	@Override
	public void run() {
		while (true) {
			boolean wrote = false;
			AccessLogEntry entry;
			while ((entry = this.queue.poll()) != null) {
				write(entry);
				wrote = true;
			}
			if (wrote) {
				flush();
			}
			if (!this.running) {
				// Offers that raced with stop() are in the queue by now: the loops stopped before stop() was called.
				if (this.queue.isEmpty()) {
					break;
				}
				continue;
			}
			if (wrote) {
				// Lines are coming: sleep a tick, and let offers queue without waking this thread for each.
				LockSupport.parkNanos(this, TICK_NANOS);
				continue;
			}
			this.sleeping = true;
			VarHandle.fullFence();
			if (this.queue.isEmpty() && this.running) {
				LockSupport.parkNanos(this, IDLE_PARK_NANOS);
			}
			this.sleeping = false;
		}
		try {
			this.sink.close();
		}
		catch (IOException ex) {
			logger.warn("Could not close the access log", ex);
		}
	}

	private void write(AccessLogEntry entry) {
		this.line.setLength(0);
		try {
			this.pattern.format(entry, this.line);
			this.sink.write(this.line);
			this.written.increment();
			recovered();
		}
		catch (IOException | RuntimeException ex) {
			this.droppedWriteFailed.increment();
			failed(ex);
		}
	}

	private void flush() {
		try {
			this.sink.flush();
			recovered();
		}
		catch (IOException ex) {
			failed(ex);
		}
	}

	/** Logs the first failure of a run of them, not every line's. */
	private void failed(Exception ex) {
		if (!this.failing) {
			this.failing = true;
			logger.error("Could not write the access log; lines are dropped (and counted) until it works again", ex);
		}
	}

	private void recovered() {
		if (this.failing) {
			this.failing = false;
			logger.info("The access log is written again after " + this.droppedWriteFailed.sum()
					+ " lines dropped in all");
		}
	}

	/** Lines dropped because the queue was full. */
	long droppedQueueFull() {
		return this.droppedQueueFull.sum();
	}

	/** Lines dropped because the sink failed. */
	long droppedWriteFailed() {
		return this.droppedWriteFailed.sum();
	}

	/** Lines written. */
	long written() {
		return this.written.sum();
	}

	/** Entries waiting now. */
	int depth() {
		return this.queue.size();
	}

}
