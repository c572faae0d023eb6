package io.hybridserver.reactive.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.publisher.Operators;

import io.hybridserver.websocket.WebSocketConnection;

/**
 * A session's incoming messages as a {@code Publisher}, driven by demand: while the subscriber has asked for nothing
 * (or has not subscribed yet) the connection stops reading from the socket, so a slow handler leaves the client's
 * frames in the socket (and TCP holds the client back) rather than in memory. Reading pauses once a message waits
 * here without demand; what arrives after that, from bytes read before it, waits here too: it is bounded by one socket
 * read and the connection's read buffer.
 *
 * <p>Signals are serialized by a work-in-progress counter, so messages, demand and cancellation may come from any
 * thread. The stream completes when the connection has closed, after every message before the close, and fails with
 * the protocol error that made the connection close, if any. Cancelling it drops what comes later and lets the
 * connection read on, so that the client's close is still seen; it does not close the session.
 */
final class InboundMessages implements Publisher<WebSocketMessage>, Subscription {

	private final WebSocketConnection connection;

	private final Queue<WebSocketMessage> queue = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean subscribed = new AtomicBoolean();

	private final AtomicLong demand = new AtomicLong();

	private final AtomicInteger wip = new AtomicInteger();

	private volatile Subscriber<? super WebSocketMessage> subscriber;

	private volatile boolean cancelled;

	private volatile boolean finished;

	private volatile Throwable failure;

	// Touched inside the drain loop only.
	private boolean done;

	InboundMessages(WebSocketConnection connection) {
		this.connection = connection;
	}

	// ---- from the session's event thread

	void push(WebSocketMessage message) {
		if (this.cancelled || this.finished) {
			message.release();
			return;
		}
		this.queue.add(message);
		drain();
	}

	void complete() {
		this.finished = true;
		drain();
	}

	void error(Throwable cause) {
		if (this.failure == null) {
			this.failure = cause;
		}
		this.finished = true;
		drain();
	}

	// ---- Reactive Streams

	@Override
	public void subscribe(Subscriber<? super WebSocketMessage> actual) {
		if (!this.subscribed.compareAndSet(false, true)) {
			Operators.error(actual, new IllegalStateException("A WebSocket session's receive() can be subscribed once"));
			return;
		}
		this.subscriber = actual;
		actual.onSubscribe(this);
		drain();
	}

	@Override
	public void request(long n) {
		if (n <= 0) {
			this.failure = new IllegalArgumentException("Reactive Streams rule 3.9: request must be positive, was " + n);
			this.finished = true;
			this.queue.forEach(WebSocketMessage::release);
			this.queue.clear();
		}
		else {
			this.demand.getAndUpdate((current) -> Operators.addCap(current, n));
		}
		drain();
	}

	@Override
	public void cancel() {
		this.cancelled = true;
		drain();
	}

	private void drain() {
		if (this.wip.getAndIncrement() != 0) {
			return;
		}
		int missed = 1;
		do {
			emit();
			missed = this.wip.addAndGet(-missed);
		}
		while (missed != 0);
	}

	private void emit() {
		Subscriber<? super WebSocketMessage> actual = this.subscriber;
		if (this.done) {
			return;
		}
		if (this.cancelled) {
			this.done = true;
			discardQueued();
			this.connection.resumeReading();
			return;
		}
		if (actual == null) {
			if (!this.queue.isEmpty()) {
				this.connection.pauseReading();
			}
			return;
		}
		while (this.demand.get() > 0) {
			WebSocketMessage message = this.queue.poll();
			if (message == null) {
				break;
			}
			this.demand.getAndUpdate((current) -> (current == Long.MAX_VALUE) ? current : current - 1);
			actual.onNext(message);
			if (this.cancelled) {
				return;
			}
		}
		if (this.finished && this.queue.isEmpty()) {
			this.done = true;
			Throwable cause = this.failure;
			if (cause != null) {
				actual.onError(cause);
			}
			else {
				actual.onComplete();
			}
			return;
		}
		if (this.demand.get() > 0) {
			this.connection.resumeReading();
		}
		else if (!this.queue.isEmpty()) {
			// Paused only once a message waits without demand, not each time demand runs out: a subscriber that asks
			// for one message at a time (an echo asks for the next when its answer is written) would otherwise pause
			// and resume the connection, a task on its event loop, for every message. The bound is the same: what
			// the read under way still brings.
			this.connection.pauseReading();
		}
	}

	private void discardQueued() {
		for (WebSocketMessage message = this.queue.poll(); message != null; message = this.queue.poll()) {
			message.release();
		}
	}

}
