/**
 * The HTTP layer of the I/O tier: the HTTP/1.1 pipeline, its limits and timeouts, and the {@link Exchange} it hands to
 * the application tier. Runs on event loops only and never blocks; knows neither Servlet nor Spring. The dispatch tier
 * plugs in through two interfaces defined here: {@link ExchangeDispatcher} (the request queue) and
 * {@link ResponseRoute} (the response queues).
 */
package io.hybridserver.http;
