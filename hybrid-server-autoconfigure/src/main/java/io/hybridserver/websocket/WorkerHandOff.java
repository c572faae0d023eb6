package io.hybridserver.websocket;

import java.util.concurrent.Executor;

/**
 * Where a server's WebSocket connections hand their sessions' events to worker threads: the server's own worker pool,
 * or any {@link Executor}. Split in two so that an event loop which decodes frames for many sessions in one pass
 * can queue all of them and wake workers once, after the pass ({@link WebSocketWorkers}).
 */
public interface WorkerHandOff {

	/**
	 * Queues a task for a worker, possibly without waking one; {@link #wakeFor} must follow before the calling thread
	 * can wait. Must not block (an event loop calls it).
	 */
	void enqueue(Runnable task);

	/** Wakes the workers that {@code count} tasks queued by {@link #enqueue} need. Must not block. */
	void wakeFor(int count);

	/** A hand-off to {@code executor}: each task is executed at once, and nothing is left to wake. */
	static WorkerHandOff of(Executor executor) {
		return new WorkerHandOff() {

			@Override
			public void enqueue(Runnable task) {
				executor.execute(task);
			}

			@Override
			public void wakeFor(int count) {
			}

		};
	}

}
