package io.hybridserver.http;

/**
 * Where the I/O tier hands each exchange to the application tier: the request queue. Implemented by the dispatch tier.
 * Called on an event loop, so it must not block.
 */
@FunctionalInterface
public interface ExchangeDispatcher {

	/**
	 * Offers an exchange for processing.
	 * @return {@code false} when the request queue is full; the I/O tier then answers 503 itself
	 */
	boolean dispatch(Exchange exchange);

}
