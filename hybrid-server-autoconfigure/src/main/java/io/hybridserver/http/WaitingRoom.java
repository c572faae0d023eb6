package io.hybridserver.http;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where requests that found the request queue full wait for room, in arrival order, across every event loop and
 * protocol of one server ({@code server.hybrid.request-queue-timeout}). One per dispatcher, which tells it each time
 * a worker takes an exchange ({@link #roomFreed}); the waiting requests themselves stay decoded on their loops, which
 * time them out ({@link LoopDispatch}).
 *
 * <p>Why a line and not a bigger queue: the request queue bounds what workers have ahead of them; this bounds nothing
 * by itself. What bounds it is the I/O tier: an HTTP/1.1 connection hands over its next request only after the
 * previous one is answered (so at most one waiting request per connection, plus what it pipelined, within
 * {@code max-pipelined-requests}), an HTTP/2 or HTTP/3 connection at most its concurrent streams, and the timeout
 * bounds how long any of them waits. A waiting request costs what it cost the loop to decode, no thread.
 *
 * <p>Nothing here blocks: admitting is done by whichever thread holds the admission lock, taken with
 * {@code tryLock}; a thread that finds it taken leaves a signal that the holder re-checks before it lets go.
 */
public final class WaitingRoom {

	private final ExchangeDispatcher dispatcher;

	private final Queue<WaitingRequest> line = new ConcurrentLinkedQueue<>();

	/** Requests still waiting (the line may also hold ones that left: expired, cancelled; dropped when reached). */
	private final AtomicInteger waiting = new AtomicInteger();

	private final ReentrantLock admitting = new ReentrantLock();

	private final AtomicBoolean signalled = new AtomicBoolean();

	/**
	 * Admitted, but the queue filled between the look and the offer (a loop's request took the room): first in at the
	 * next pass. Rare, and short: room comes with the next exchange a worker takes.
	 */
	private volatile WaitingRequest inHand;

	private Exchange inHandExchange;

	private volatile boolean closed;

	/** @param dispatcher what admitted requests are enqueued into */
	public WaitingRoom(ExchangeDispatcher dispatcher) {
		this.dispatcher = dispatcher;
	}

	/** Requests waiting now, for the {@code hybrid.server.requests.waiting} gauge. */
	public int size() {
		return Math.max(0, this.waiting.get());
	}

	/** Whether nobody waits: a new request may go straight to the queue without overtaking anyone. */
	boolean isEmpty() {
		return this.waiting.get() <= 0;
	}

	/**
	 * Loop: puts a request at the end of the line and admits what the queue has room for.
	 * @return {@code false} once the server stops: the caller refuses the request at once
	 */
	boolean enter(WaitingRequest request) {
		if (this.closed) {
			return false;
		}
		this.waiting.incrementAndGet();
		this.line.offer(request);
		if (this.closed) {
			// The stop drained the line before this request joined it.
			refuseAll();
			return true;
		}
		roomFreed();
		return true;
	}

	/** One waiting request left the line (admitted, expired, cancelled). */
	void left() {
		this.waiting.decrementAndGet();
	}

	/**
	 * A worker took an exchange from the request queue (any thread; cheap when nobody waits): admits waiting requests,
	 * oldest first, while the queue has room.
	 */
	public void roomFreed() {
		if (this.waiting.get() <= 0 && this.inHand == null) {
			return;
		}
		this.signalled.set(true);
		while (this.admitting.tryLock()) {
			try {
				this.signalled.set(false);
				admitWhileRoom();
			}
			finally {
				this.admitting.unlock();
			}
			if (!this.signalled.get()) {
				return;
			}
			// Room was freed, or a request joined, while this thread admitted: look again.
		}
	}

	private void admitWhileRoom() {
		int admitted = 0;
		try {
			while (true) {
				if (this.inHand == null) {
					WaitingRequest next = this.line.peek();
					if (next == null) {
						return;
					}
					if (!next.isWaiting()) {
						// It left the line already (its time ran out, its client went).
						this.line.poll();
						continue;
					}
					if (!this.dispatcher.hasRoom()) {
						// Claimed only when the queue has room, so that a request stays expirable while it waits.
						return;
					}
					this.line.poll();
					Exchange exchange = next.admit();
					if (exchange == null) {
						continue;
					}
					this.inHand = next;
					this.inHandExchange = exchange;
				}
				if (!this.dispatcher.enqueue(this.inHandExchange, this.inHand.arrivedNanos)) {
					// Full again, or stopped (then close() refuses what is in hand).
					return;
				}
				this.inHand = null;
				this.inHandExchange = null;
				admitted++;
			}
		}
		finally {
			if (admitted > 0) {
				this.dispatcher.wakeWorkersFor(admitted);
			}
		}
	}

	/**
	 * The server stops (the stopping thread, once the dispatcher takes no more): every request still waiting is answered
	 * 503 with {@code Retry-After}, as those still queued are; none is left without an answer.
	 */
	public void close() {
		this.closed = true;
		refuseAll();
	}

	private void refuseAll() {
		// The one place that waits for the lock: the stop, or a request that joined as the server stopped, and the
		// holder only moves entries between two lock-free queues.
		this.admitting.lock();
		try {
			if (this.inHand != null) {
				Exchange exchange = this.inHandExchange;
				this.inHand = null;
				this.inHandExchange = null;
				// Admitted, so no longer counted as waiting; answered as a request the stopped queue refused.
				PlainTextAnswer.answerOrAbort(withRetryAfter(exchange), RequestAdmission.REFUSED.code(),
						RequestAdmission.refusalBody(), null);
			}
			WaitingRequest next;
			while ((next = this.line.poll()) != null) {
				next.refuseStopping();
			}
		}
		finally {
			this.admitting.unlock();
		}
	}

	private static Exchange withRetryAfter(Exchange exchange) {
		exchange.responseHeaders().set("Retry-After", "1");
		return exchange;
	}

}
