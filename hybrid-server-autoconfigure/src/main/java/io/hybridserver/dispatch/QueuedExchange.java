package io.hybridserver.dispatch;

import io.hybridserver.http.Exchange;

/** An exchange in the request queue with the time it entered, for the queue-wait timer. */
final class QueuedExchange {

	final Exchange exchange;

	final long enqueuedNanos;

	QueuedExchange(Exchange exchange, long enqueuedNanos) {
		this.exchange = exchange;
		this.enqueuedNanos = enqueuedNanos;
	}

}
