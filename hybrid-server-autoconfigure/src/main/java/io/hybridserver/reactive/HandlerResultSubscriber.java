package io.hybridserver.reactive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.PlainTextAnswer;

/**
 * Follows the {@code Mono<Void>} of one {@code HttpHandler} call and ends the exchange with it: complete when the
 * handler completes; a failure before the head left becomes a 500, after it an abort (the client sees a broken
 * response rather than a wrong one). {@link #cancel()} is what a departed client triggers: the handler's
 * subscriptions are cancelled, which Reactor propagates to every publisher the handler composed.
 */
final class HandlerResultSubscriber implements CoreSubscriber<Void> {

	private static final Log logger = LogFactory.getLog(HandlerResultSubscriber.class);

	private static final byte[] SERVER_ERROR = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);

	private final Exchange exchange;

	private volatile Subscription subscription;

	private volatile boolean cancelled;

	HandlerResultSubscriber(Exchange exchange) {
		this.exchange = exchange;
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.subscription = subscription;
		if (this.cancelled) {
			subscription.cancel();
			return;
		}
		subscription.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(Void unused) {
	}

	@Override
	public void onError(Throwable failure) {
		if (this.cancelled) {
			return;
		}
		if (failure instanceof IOException) {
			if (logger.isDebugEnabled()) {
				logger.debug(failureMessage(), failure);
			}
		}
		else {
			logger.warn(failureMessage(), failure);
		}
		PlainTextAnswer.answerOrAbort(this.exchange, 500, SERVER_ERROR, failure);
	}

	private String failureMessage() {
		return "Reactive handler failed for " + this.exchange.method() + " " + this.exchange.target();
	}

	@Override
	public void onComplete() {
		if (!this.cancelled) {
			this.exchange.complete();
		}
	}

	/** The client went away: stop the handler's work and release the exchange. */
	void cancel() {
		this.cancelled = true;
		Subscription current = this.subscription;
		if (current != null) {
			current.cancel();
		}
		this.exchange.abort(new IOException("The client went away before the response was complete"));
	}

}
