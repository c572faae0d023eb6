package io.hybridserver.dispatch;

import io.hybridserver.http.Exchange;

/**
 * The application tier's side of the request queue: what a worker runs for each exchange it takes.
 * The servlet container and the reactive adapter implement it.
 */
@FunctionalInterface
public interface ExchangeHandler {

	/**
	 * Handles one exchange on a worker thread. The handler must see the exchange through to
	 * {@link Exchange#complete()} or {@link Exchange#abort(Throwable)}, before returning or later (asynchronously).
	 * An exception thrown out of this method aborts the exchange.
	 */
	void handle(Exchange exchange) throws Exception;

}
