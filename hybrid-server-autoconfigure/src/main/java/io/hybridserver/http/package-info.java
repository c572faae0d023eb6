/**
 * The HTTP layer of the I/O tier, what every protocol shares: the {@link Exchange} handed to the application tier and
 * its common response side ({@link QueuedResponseExchange}), what the two multiplexed protocols share beyond it
 * ({@link StreamExchange}, {@link HeaderTranslation}), request bodies, response lanes, limits, dates and compression.
 * Each protocol lives in its own subpackage ({@code h1}, {@code h2}, {@code h3}) and turns its messages into
 * Exchanges; this package knows none of them. Runs on event loops only and never blocks; knows neither Servlet nor
 * Spring. The dispatch tier plugs in through two interfaces defined here: {@link ExchangeDispatcher} (the request
 * queue) and {@link ResponseRoute} (the response queues).
 */
package io.hybridserver.http;
