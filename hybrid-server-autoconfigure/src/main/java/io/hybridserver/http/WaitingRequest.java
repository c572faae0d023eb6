package io.hybridserver.http;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One accepted request that found the request queue full and waits, decoded, on its connection's event loop for room
 * in the {@link WaitingRoom}. Exactly one of three things ends the wait, whichever comes first: the room admits it
 * into the request queue (the admitting thread), its time runs out and it is answered 503 (its loop, or the admitting
 * thread, below), or its client leaves and it is aborted (likewise).
 *
 * <p>One atomic state is the arbiter, so that an exchange is never both run and refused, and never left with neither:
 *
 * <pre>
 * WAITING --claim--------> CLAIMED --queue took it--------------------> ADMITTED
 *                          CLAIMED --queue full-----------------------> WAITING (still first in line)
 * WAITING --time is up---> TIMED_OUT (503)
 * WAITING --client left--> GONE (aborted)
 * CLAIMED --time is up---> CLAIMED_DUE  --queue took it--> ADMITTED, --queue full--> TIMED_OUT (503)
 * CLAIMED(_DUE) --left---> CLAIMED_GONE --queue took it--> ADMITTED, --queue full--> GONE (aborted)
 * </pre>
 *
 * A claim lasts one offer to the queue. Until it, a claimed request could not be timed out by its loop (the claim
 * might still succeed); the queue may also refuse the offer (another producer took the room between the admitting
 * thread's look and its offer), and a request that was then kept aside as admitted could no longer time out at all.
 * Now a refused claim puts the request back as it was, and what its loop or client asked for during the claim is
 * noted in the state and carried out by the claimer.
 */
final class WaitingRequest {

	private static final int WAITING = 0;

	private static final int CLAIMED = 1;

	private static final int CLAIMED_DUE = 2;

	private static final int CLAIMED_GONE = 3;

	private static final int ADMITTED = 4;

	private static final int TIMED_OUT = 5;

	private static final int GONE = 6;

	/** What a claim came to, for the room's line. */
	enum Claim {

		/** In the request queue now: off the line. */
		ADMITTED,

		/** The queue was full: still waiting, still first in line. */
		STILL_WAITING,

		/** It had ended already (or ended now, timed out or gone): off the line. */
		ENDED

	}

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

	/** Whether its wait is over for good (admitted, timed out, gone): a claimed request may still come back. */
	boolean hasEnded() {
		return this.state.get() >= ADMITTED;
	}

	/**
	 * The admitting thread (one at a time): offers the request to {@code dispatcher}'s queue, if it still waits and its
	 * client is still there. Never blocks.
	 */
	Claim admitInto(ExchangeDispatcher dispatcher) {
		if (!this.state.compareAndSet(WAITING, CLAIMED)) {
			return Claim.ENDED;
		}
		Exchange claimed = this.exchange;
		if (!claimed.isOpen()) {
			// A client that half-closed (its connection-lost signal spent on that) and then left: nobody to run it for.
			finishClaim(GONE);
			return Claim.ENDED;
		}
		if (dispatcher.enqueue(claimed, this.arrivedNanos)) {
			// Whatever the loop asked for during the claim, the queue took it: a worker answers it (or meets the closed
			// connection), as any request the client left after it was queued.
			this.state.set(ADMITTED);
			ended();
			return Claim.ADMITTED;
		}
		while (true) {
			int now = this.state.get();
			if (now == CLAIMED) {
				if (this.state.compareAndSet(CLAIMED, WAITING)) {
					return Claim.STILL_WAITING;
				}
			}
			else {
				finishClaim((now == CLAIMED_DUE) ? TIMED_OUT : GONE);
				return Claim.ENDED;
			}
		}
	}

	/** The claimer, after a refused offer: carries out what was asked for during the claim. */
	private void finishClaim(int how) {
		this.state.set(how);
		Exchange ended = ended();
		if (how == TIMED_OUT) {
			answer503(ended, true);
		}
		else {
			ended.abort(new ClosedChannelException());
		}
	}

	/**
	 * Loop: its time ran out. Waiting, it is answered {@code 503 Service Unavailable} with {@code Retry-After} through
	 * the exchange, as a worker would answer, so each protocol frames it as any other answer (an HTTP/1.x connection
	 * closes after it, as after an immediate refusal). Claimed, the claimer answers it if the queue refuses it.
	 */
	void expire() {
		while (true) {
			int now = this.state.get();
			if (now == WAITING) {
				if (this.state.compareAndSet(WAITING, TIMED_OUT)) {
					answer503(ended(), true);
					return;
				}
			}
			else if (now == CLAIMED) {
				if (this.state.compareAndSet(CLAIMED, CLAIMED_DUE)) {
					return;
				}
			}
			else {
				return;
			}
		}
	}

	/**
	 * The server stops before room came (the stopping thread, holding the room's lock, so nothing is claimed):
	 * answered as {@link #expire()} answers, but not counted as an overload refusal (those still queued when the server
	 * stops are not either).
	 */
	void refuseStopping() {
		if (this.state.compareAndSet(WAITING, TIMED_OUT)) {
			answer503(ended(), false);
		}
	}

	private void answer503(Exchange refused, boolean overload) {
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

	/**
	 * Loop, the exchange's connection-lost signal. A client that left while its request waited ends the wait: the
	 * request is aborted and frees its place, never reaching a worker. A client that only stopped sending (an HTTP/1.x
	 * half-close: {@code curl}, HTTP/1.0 clients and scripts send their request and shut their output down) is still
	 * there to read the answer: its accepted request keeps its place and is answered in its turn, or 503 at its time.
	 */
	void cancel() {
		Exchange waiting = this.exchange;
		if (waiting != null && waiting.isOpen()) {
			return;
		}
		while (true) {
			int now = this.state.get();
			if (now == WAITING) {
				if (this.state.compareAndSet(WAITING, GONE)) {
					ended().abort(new ClosedChannelException());
					return;
				}
			}
			else if (now == CLAIMED || now == CLAIMED_DUE) {
				if (this.state.compareAndSet(now, CLAIMED_GONE)) {
					return;
				}
			}
			else {
				return;
			}
		}
	}

	/** Loop: the line was closed to it (the server stops); it never waited, and its caller refuses it at once. */
	void abandon() {
		if (this.state.compareAndSet(WAITING, GONE)) {
			this.exchange = null;
		}
	}

	/** Whoever moved the state to its end: takes the exchange and frees its place in the count. */
	private Exchange ended() {
		Exchange ended = this.exchange;
		this.exchange = null;
		this.room.left();
		return ended;
	}

}
