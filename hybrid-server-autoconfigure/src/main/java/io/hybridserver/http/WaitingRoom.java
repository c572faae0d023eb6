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

	/**
	 * Requests whose wait has not ended, one being offered to the queue included (the line may also hold ones that
	 * ended: timed out, gone; dropped when reached). A new request goes straight to the queue only when this is 0.
	 */
	private final AtomicInteger waiting = new AtomicInteger();

	private final ReentrantLock admitting = new ReentrantLock();

	private final AtomicBoolean signalled = new AtomicBoolean();

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
		if (this.waiting.get() <= 0) {
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
			WaitingRequest next;
			// Only the lock holder takes from the line, so the head it peeks is the head it polls.
			while ((next = this.line.peek()) != null) {
				if (next.hasEnded()) {
					// It left the line already (its time ran out, its client went).
					this.line.poll();
					continue;
				}
				if (!this.dispatcher.hasRoom()) {
					return;
				}
				WaitingRequest.Claim claim = next.admitInto(this.dispatcher);
				if (claim == WaitingRequest.Claim.STILL_WAITING) {
					// The queue filled between the look and the offer (a loop's own request took the room): the
					// request stays first in line, and the next exchange a worker takes brings the next look.
					return;
				}
				this.line.poll();
				if (claim == WaitingRequest.Claim.ADMITTED) {
					admitted++;
				}
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
		// holder only makes one offer per request it looks at. Holding it, nothing is claimed mid-offer.
		this.admitting.lock();
		try {
			WaitingRequest next;
			while ((next = this.line.poll()) != null) {
				next.refuseStopping();
			}
		}
		finally {
			this.admitting.unlock();
		}
	}

}
