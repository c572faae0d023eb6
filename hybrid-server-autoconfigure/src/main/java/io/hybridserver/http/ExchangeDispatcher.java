package io.hybridserver.http;

/**
 * Where the I/O tier hands each exchange to the application tier: the request queue. Implemented by the dispatch tier.
 * Called on an event loop, so it must not block.
 */
public interface ExchangeDispatcher {

	/**
	 * Offers an exchange for processing, and wakes a worker for it if one is needed.
	 * @return {@code false} when the request queue is full; the I/O tier then answers 503 itself
	 */
	boolean dispatch(Exchange exchange);

	/**
	 * Offers an exchange like {@link #dispatch}, but leaves waking a worker to a later {@link #wakeWorkersFor} call,
	 * so that an event loop which decodes several requests in one pass wakes workers once, after the pass. The caller
	 * must make that call before its thread can wait: an exchange left without it waits for the pool's safety net.
	 * @return {@code false} when the request queue is full
	 */
	default boolean enqueue(Exchange exchange) {
		return dispatch(exchange);
	}

	/**
	 * Offers an exchange like {@link #enqueue(Exchange)} that arrived at {@code arrivedNanos} ({@link System#nanoTime})
	 * and waited for room since: its queue wait counts from then. Any thread.
	 */
	default boolean enqueue(Exchange exchange, long arrivedNanos) {
		return enqueue(exchange);
	}

	/** Whether {@link #enqueue} would take an exchange now (a hint: another thread may take the room first). */
	default boolean hasRoom() {
		return true;
	}

	/**
	 * Where requests wait for room when the queue is full, or {@code null} when this dispatcher has no bounded queue to
	 * wait for (each request is then taken or refused at once).
	 */
	default WaitingRoom waitingRoom() {
		return null;
	}

	/** Wakes the workers that {@code enqueued} exchanges offered through {@link #enqueue} need. */
	default void wakeWorkersFor(int enqueued) {
		// dispatch() already woke them.
	}

}
