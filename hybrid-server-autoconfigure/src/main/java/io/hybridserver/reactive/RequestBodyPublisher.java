package io.hybridserver.reactive;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Operators;

import io.hybridserver.http.ByteBufExchange;
import io.hybridserver.http.RequestBodyTimeoutException;

/**
 * The request body as a {@code Publisher<DataBuffer>}: each received Netty buffer is handed on, wrapped, not copied.
 * Demand drives reading: a buffer is taken from the exchange only when the subscriber has asked for one, and the
 * connection reads from the socket only while the exchange's small body buffer has room, so a slow consumer holds the
 * client back instead of filling memory.
 *
 * <p>Signals are serialized by a work-in-progress counter, so {@code request} may come from any thread. Waiting for data
 * costs no thread: the exchange calls back when bytes arrive, and the callback continues on the given executor (a
 * worker, or the event loop itself in event-loop mode).
 */
final class RequestBodyPublisher implements Publisher<DataBuffer>, Subscription {

	private final ByteBufExchange exchange;

	private final NettyDataBufferFactory buffers;

	private final Executor continuations;

	private final Duration readTimeout;

	private final Runnable clientGone;

	private volatile ScheduledFuture<?> timeout;

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private final AtomicLong demand = new AtomicLong();

	private final AtomicInteger wip = new AtomicInteger();

	private volatile Subscriber<? super DataBuffer> subscriber;

	private volatile boolean cancelled;

	// Touched inside the drain loop only.
	private boolean done;

	private volatile long timedOutAt;

	/** When the current wait for body bytes began ({@link System#nanoTime()}); meaningful while waiting for data. */
	private volatile long waitingSince;

	/** Set by the drain loop, cleared by the data callback, which then drains again. */
	private volatile boolean waitingForData;

	/**
	 * @param readTimeout how long the client may leave a body it started unfinished while the handler waits for it
	 * @param clientGone what to do when the client leaves before its body ended: cancel the whole handler, as
	 *     for a client that leaves while the response is made, rather than fail the body into an error response
	 *     nobody would read (and an error log for a client's departure)
	 */
	RequestBodyPublisher(ByteBufExchange exchange, NettyDataBufferFactory buffers, Executor continuations,
			Duration readTimeout, Runnable clientGone) {
		this.exchange = exchange;
		this.buffers = buffers;
		this.continuations = continuations;
		this.readTimeout = readTimeout;
		this.clientGone = clientGone;
	}

	@Override
	public void subscribe(Subscriber<? super DataBuffer> actual) {
		if (!this.subscribed.compareAndSet(false, true)) {
			Operators.error(actual, new IllegalStateException("The request body can only be read once"));
			return;
		}
		this.subscriber = actual;
		actual.onSubscribe(this);
	}

	@Override
	public void request(long n) {
		if (n <= 0) {
			this.cancelled = true;
			this.subscriber.onError(new IllegalArgumentException("Reactive Streams rule 3.9: request must be positive, was " + n));
			return;
		}
		this.demand.getAndUpdate((current) -> Operators.addCap(current, n));
		drain();
	}

	@Override
	public void cancel() {
		this.cancelled = true;
		disarmTimeout();
	}

	private void onReadable() {
		this.continuations.execute(() -> {
			this.waitingForData = false;
			drain();
		});
	}

	/**
	 * The handler waits for body bytes the client does not send: the exchange fails with 408, as a blocking read would
	 * time out. Only a wait that lasts the whole timeout trips it, so a handler that consumes slowly never does.
	 *
	 * <p>One timer per body, armed at its first wait and re-armed when it fires early, not one per wait; and on the
	 * connection's event loop, not on Reactor's timer thread. That thread had to be woken, and switched to, for about
	 * every timer set: a timer per wait cost 14% of an event loop's samples in a 16 KiB POST profile, and still one per
	 * body 13% and two context switches per request (docs/benchmarks.md). The loop's timer wakes nobody.
	 */
	private void armTimeout(long delayNanos) {
		try {
			this.timeout = this.exchange.schedule(() -> this.continuations.execute(this::onTimer), delayNanos,
					TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The loop is stopping, and the connection with it: its close fails the body, which ends the wait. Thrown
			// on, it would leave drain() with its work counter raised, and no later drain would release anything.
			this.timeout = null;
		}
	}

	private void onTimer() {
		if (this.done || this.cancelled) {
			return;
		}
		long limit = this.readTimeout.toNanos();
		if (!this.waitingForData) {
			armTimeout(limit);
			return;
		}
		long since = this.waitingSince;
		long waited = System.nanoTime() - since;
		if (waited >= limit) {
			this.timedOutAt = since;
			drain();
		}
		else {
			armTimeout(limit - waited);
		}
	}

	private void disarmTimeout() {
		ScheduledFuture<?> armed = this.timeout;
		if (armed != null) {
			armed.cancel(false);
		}
	}

	private void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			emitWhileDemanded();
			if (this.done) {
				disarmTimeout();
			}
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void emitWhileDemanded() {
		Subscriber<? super DataBuffer> actual = this.subscriber;
		if (this.timedOutAt != 0 && !this.done && this.waitingForData) {
			this.done = true;
			this.exchange.responseHeaders().set("Connection", "close");
			actual.onError(new ResponseStatusException(HttpStatus.REQUEST_TIMEOUT,
					"No request body data arrived within " + this.readTimeout.toMillis() + " ms"));
			return;
		}
		while (!this.done && !this.cancelled && !this.waitingForData && this.demand.get() > 0) {
			ByteBuf content;
			try {
				content = this.exchange.pollRequestContent();
			}
			catch (EOFException ex) {
				this.done = true;
				this.clientGone.run();
				return;
			}
			catch (IOException ex) {
				this.done = true;
				if (RequestBodyTimeoutException.isCause(ex)) {
					// Below the minimum data rate: the client's fault, answered as the read timeout above is.
					actual.onError(new ResponseStatusException(HttpStatus.REQUEST_TIMEOUT, ex.getMessage(), ex));
				}
				else {
					actual.onError(ex);
				}
				return;
			}
			if (content == null) {
				if (this.exchange.requestBody().isFinished()) {
					this.done = true;
					actual.onComplete();
				}
				else {
					// Set before asking: the callback may run at once, here, and must find it set.
					this.waitingSince = System.nanoTime();
					this.waitingForData = true;
					if (this.timeout == null) {
						armTimeout(this.readTimeout.toNanos());
					}
					this.exchange.requestBody().onReadable(this::onReadable);
				}
				return;
			}
			this.demand.getAndUpdate((current) -> (current == Long.MAX_VALUE) ? current : current - 1);
			actual.onNext(this.buffers.wrap(content));
		}
	}

}
