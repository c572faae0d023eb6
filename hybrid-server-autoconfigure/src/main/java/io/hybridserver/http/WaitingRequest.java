package io.hybridserver.http;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One accepted request that found the request queue full and waits, decoded, on its connection's event loop for room
 * in the {@link WaitingRoom}. Exactly one of three things ends the wait, whichever comes first: the room admits it
 * into the request queue (any thread), its time runs out and it is answered 503 (its loop), or its client leaves and
 * it is aborted (its loop). The state is the arbiter, so that an exchange is never both run and refused.
 */
final class WaitingRequest {

	private static final int WAITING = 0;

	private static final int ADMITTED = 1;

	private static final int EXPIRED = 2;

	private static final int CANCELLED = 3;

	private final AtomicInteger state = new AtomicInteger(WAITING);

	private final WaitingRoom room;

	private final HttpServerStats stats;

	private final long retryAfterSeconds;

	final long arrivedNanos;

	final long deadlineNanos;

	/** Dropped once the wait ends: an expiry timer may keep this object a while, never the exchange. */
	private volatile Exchange exchange;

	WaitingRequest(WaitingRoom room, Exchange exchange, HttpServerStats stats, long retryAfterSeconds,
			long arrivedNanos, long timeoutNanos) {
		this.room = room;
		this.exchange = exchange;
		this.stats = stats;
		this.retryAfterSeconds = retryAfterSeconds;
		this.arrivedNanos = arrivedNanos;
		this.deadlineNanos = arrivedNanos + timeoutNanos;
	}

	boolean isWaiting() {
		return this.state.get() == WAITING;
	}

	/** Ends the wait as admitted: the caller now owes the exchange a place in the request queue. */
	Exchange admit() {
		return end(ADMITTED);
	}

	/**
	 * Loop (or the stopping thread): its time ran out, or the server stopped before room came. Answers
	 * {@code 503 Service Unavailable} with {@code Retry-After} through the exchange, as a worker would, so each
	 * protocol frames it as any other answer; an HTTP/1.x connection closes after it, as after an immediate refusal.
	 */
	void refuse() {
		refuse(true);
	}

	/**
	 * The server stops before room came: answered as {@link #refuse()} does, but not counted as an overload refusal
	 * (those still queued when the server stops are not either).
	 */
	void refuseStopping() {
		refuse(false);
	}

	private void refuse(boolean overload) {
		Exchange refused = end(EXPIRED);
		if (refused == null) {
			return;
		}
		if (overload) {
			this.stats.rejected(HttpServerStats.Rejection.QUEUE_FULL);
		}
		HttpFields headers = refused.responseHeaders();
		headers.set("Retry-After", Long.toString(this.retryAfterSeconds));
		if (refused.protocol().startsWith("HTTP/1")) {
			headers.set("Connection", "close");
		}
		PlainTextAnswer.answerOrAbort(refused, RequestAdmission.REFUSED.code(), RequestAdmission.refusalBody(), null);
	}

	/** Loop: the client left while the request waited; it ends now and frees its place, never reaching a worker. */
	void cancel() {
		Exchange left = end(CANCELLED);
		if (left != null) {
			left.abort(new ClosedChannelException());
		}
	}

	/** Loop: the line was closed to it (the server stops); it never waited, and its caller refuses it at once. */
	void abandon() {
		if (this.state.compareAndSet(WAITING, CANCELLED)) {
			this.exchange = null;
		}
	}

	private Exchange end(int how) {
		if (!this.state.compareAndSet(WAITING, how)) {
			return null;
		}
		Exchange ended = this.exchange;
		this.exchange = null;
		this.room.left();
		return ended;
	}

}
