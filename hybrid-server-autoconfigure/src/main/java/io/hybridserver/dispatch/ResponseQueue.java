package io.hybridserver.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jctools.queues.MessagePassingQueue;

import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.queues.LockFreeQueues;

/**
 * The response queue of one event loop: many workers produce, the loop consumes.
 *
 * <p>Wake-ups are coalesced: only the submit that finds the queue unscheduled posts a drain task to the loop, however
 * many workers write meanwhile. A drain runs a bounded batch, then flushes each connection it wrote to exactly once, so
 * a burst of small writes costs one syscall per connection. A batch that hits its bound yields to the loop's I/O and
 * reschedules itself.
 */
final class ResponseQueue implements ResponseLane, Runnable {

	private static final Log logger = LogFactory.getLog(ResponseQueue.class);

	private static final int BATCH = 256;

	private final Executor loop;

	private final MessagePassingQueue<OutboundTask> tasks;

	private final AtomicBoolean scheduled = new AtomicBoolean();

	// Event-loop only.
	private final List<FlushTarget> toFlush = new ArrayList<>();

	// Written by the draining thread only (volatile so that any thread may read them): what a response costs the loop
	// in hand-offs, for tests and docs/benchmarks.md.
	private volatile long tasksRun;

	private volatile long drains;

	ResponseQueue(Executor loop, int capacity) {
		this.loop = loop;
		this.tasks = LockFreeQueues.mpsc(Math.max(16, capacity));
	}

	@Override
	public void submit(OutboundTask task) {
		while (!this.tasks.offer(task)) {
			// Full: only application threads submit, so backing off here slows a worker, never a loop.
			schedule();
			LockSupport.parkNanos(10_000);
		}
		schedule();
	}

	private void schedule() {
		if (this.scheduled.compareAndSet(false, true)) {
			try {
				this.loop.execute(this);
			}
			catch (RuntimeException ex) {
				// The loop has stopped: nothing will drain the queue there. Its connections are closed, so each task,
				// run here, only releases what it holds (a closed connection drops the bytes it is given).
				logger.debug("Event loop rejected a response drain; discarding its tasks", ex);
				discardAll();
			}
		}
	}

	/** Runs every queued task on the calling thread, while it holds the drain; only for a loop that has stopped. */
	private void discardAll() {
		do {
			while (drainBatch() > 0) {
				// until empty
			}
			this.toFlush.clear();
			this.scheduled.set(false);
		}
		while (!this.tasks.isEmpty() && this.scheduled.compareAndSet(false, true));
	}

	@Override
	public void run() {
		this.drains++;
		while (true) {
			int done = drainBatch();
			flushAll();
			if (done >= BATCH) {
				this.loop.execute(this);
				return;
			}
			this.scheduled.set(false);
			if (this.tasks.isEmpty() || !this.scheduled.compareAndSet(false, true)) {
				return;
			}
		}
	}

	private int drainBatch() {
		int done = 0;
		OutboundTask task;
		while (done < BATCH && (task = this.tasks.poll()) != null) {
			done++;
			this.tasksRun++;
			try {
				FlushTarget target = task.runOnLoop();
				if (target != null && target.markFlushPending()) {
					this.toFlush.add(target);
				}
			}
			catch (Throwable ex) {
				logger.error("A response task failed on the event loop", ex);
			}
		}
		return done;
	}

	private void flushAll() {
		for (int i = 0; i < this.toFlush.size(); i++) {
			this.toFlush.get(i).flushNow();
		}
		this.toFlush.clear();
	}

	int size() {
		return this.tasks.size();
	}

	/** Tasks run since the start: heads, body parts, ends and control actions handed over by the workers. */
	long tasksRun() {
		return this.tasksRun;
	}

	/** Drains run since the start: each one a hand-off to the loop, a wake-up of it when it was waiting. */
	long drains() {
		return this.drains;
	}

}
