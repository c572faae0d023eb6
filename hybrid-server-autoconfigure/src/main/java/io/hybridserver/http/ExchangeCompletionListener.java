package io.hybridserver.http;

/**
 * Hears that an exchange handed to the application tier has ended, answered or aborted: the access log's source, as
 * {@link HttpServerStats} is the metrics'. Called on the connection's event loop once per exchange, so it must capture
 * what it needs and hand the rest off, never block.
 */
@FunctionalInterface
public interface ExchangeCompletionListener {

	/** A listener that does nothing. */
	ExchangeCompletionListener NONE = (exchange) -> {
	};

	/** On the event loop: the exchange ended. Valid for the duration of the call only. */
	void exchangeCompleted(CompletedExchange exchange);

}
