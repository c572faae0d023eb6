package io.hybridserver.websocket;

import java.nio.channels.ClosedChannelException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.util.concurrent.EventExecutor;

/**
 * The WebSocket connections of one event loop that have frames to write: many threads add, one loop task writes.
 * Only the connection that finds the lane idle posts that task, so the loop is woken once however many threads send
 * meanwhile; the task writes every queued frame of each connection and flushes each once.
 */
final class OutboundLane implements Runnable {

	private static final Log logger = LogFactory.getLog(OutboundLane.class);

	/** Connections written per task before the loop gets back to its I/O. */
	private static final int BATCH = 1024;

	private final EventExecutor loop;

	private final Queue<OutboundFrames> ready = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	OutboundLane(EventExecutor loop) {
		this.loop = loop;
	}

	/** A connection has frames to write. Safe from any thread. */
	void submit(OutboundFrames frames) {
		this.ready.add(frames);
		if (this.scheduled.compareAndSet(false, true)) {
			schedule();
		}
	}

	/** Posts the task that writes (the lane is marked scheduled). */
	private void schedule() {
		try {
			this.loop.execute(this);
		}
		catch (RejectedExecutionException ex) {
			// The loop has stopped, and its connections with it: their frames will never be written.
			logger.debug("WebSocket frames dropped: the event loop has stopped", ex);
			OutboundFrames frames;
			while ((frames = this.ready.poll()) != null) {
				frames.dropQueued(new ClosedChannelException());
			}
			this.scheduled.set(false);
		}
	}

	@Override
	public void run() {
		int done = 0;
		OutboundFrames frames;
		while (done < BATCH && (frames = this.ready.poll()) != null) {
			done++;
			try {
				frames.writeQueued();
			}
			catch (RuntimeException ex) {
				logger.error("Writing WebSocket frames failed", ex);
			}
		}
		if (done >= BATCH) {
			schedule();
			return;
		}
		this.scheduled.set(false);
		if (!this.ready.isEmpty() && this.scheduled.compareAndSet(false, true)) {
			schedule();
		}
	}

}
