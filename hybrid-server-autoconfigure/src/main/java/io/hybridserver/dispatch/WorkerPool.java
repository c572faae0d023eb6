package io.hybridserver.dispatch;

/**
 * The threads that take exchanges from the request queue.
 */
interface WorkerPool {

	/**
	 * Called on the event loop after {@code count} exchanges entered the queue (one, or all that one pass of the loop
	 * decoded); must not block.
	 */
	void onEnqueued(int count);

	/**
	 * Runs a task that continues an exchange already being processed (a request body's data arrived, the client caught
	 * up). Never refused: the exchange was accepted and is owed an answer. Must not block the caller.
	 */
	void execute(Runnable task);

	/**
	 * Queues a task that needs a worker but no fresh one (a WebSocket session's events), without waking a worker:
	 * {@link #wakeForTasks} does that. Never refused, never blocks. By default, as {@link #execute}.
	 */
	default void enqueueTask(Runnable task) {
		execute(task);
	}

	/** Wakes the workers that {@code count} tasks queued by {@link #enqueueTask} need; by default none. */
	default void wakeForTasks(int count) {
	}

	/** Workers busy with an exchange now. */
	int busyWorkers();

	/** The most workers that can be busy at once ({@link Integer#MAX_VALUE} for virtual threads). */
	int maxWorkers();

	/**
	 * Worker threads that exist now: started platform workers (fewer than {@link #maxWorkers} while the pool is not
	 * needed), the virtual threads running an exchange, or none on the event loops.
	 */
	default int currentWorkers() {
		return busyWorkers();
	}

	/**
	 * How many times a parked worker was woken for work since the start: platform workers only (a virtual thread per
	 * exchange is started, not woken), for the hand-off's cost per request.
	 */
	default long wakeUps() {
		return 0;
	}

	/** Stops taking new work and waits up to {@code timeoutMillis} for running exchanges. */
	void stop(long timeoutMillis);

}
