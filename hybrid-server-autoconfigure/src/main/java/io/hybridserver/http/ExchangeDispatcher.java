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

	/** Wakes the workers that {@code enqueued} exchanges offered through {@link #enqueue} need. */
	default void wakeWorkersFor(int enqueued) {
		// dispatch() already woke them.
	}

}
