package io.hybridserver.http;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadIoEventLoop;

/**
 * Hands exchanges to the {@link ExchangeDispatcher} from one event loop, waking workers once per pass of the loop
 * instead of once per exchange.
 *
 * <p>Why: a loop's pass reads every ready connection, often dozens. Waking a parked worker for the first request makes
 * it runnable at once; where the loop and the worker share a CPU the scheduler usually switches to the worker there
 * and then, and the worker answers that one request, finds the queue empty and parks again, and the loop resumes only
 * to wake it for the next. A profile of HTTPS keep-alive GETs at 64 connections on one CPU spent a quarter of the
 * server's time switching between the two (docs/benchmarks.md). Enqueueing the whole pass and waking after it lets a
 * woken worker find a batch. The delay this adds on a larger machine is the rest of one pass, which the loop spends
 * reading the next requests anyway.
 *
 * <p>The wake-up runs as one of the loop's after-iteration tasks, which Netty's I/O loops (epoll, io_uring, kqueue,
 * NIO: all {@link SingleThreadIoEventLoop}s) run after each pass over I/O and tasks, before the loop can wait again.
 * Other loops may never run them (Netty's {@code DefaultEventLoop} does not), so there, and when called from another
 * thread, every dispatch wakes at once.
 *
 * <p>A request that finds the queue full, or others waiting before it, waits in the dispatcher's {@link WaitingRoom}
 * for up to {@code server.hybrid.request-queue-timeout}, decoded, on this loop; the loop times it out with one timer
 * for all its waiting requests (they share one timeout, so the oldest is always due first).
 */
public final class LoopDispatch {

	private final ExchangeDispatcher dispatcher;

	/** Null for a loop that is not an I/O loop, which may never run after-iteration tasks: then every dispatch wakes. */
	private final SingleThreadIoEventLoop loop;

	/** Wakes the workers once after each pass for what it enqueued; null with {@link #loop}. */
	private final PassWakeUp wakeUp;

	// Loop-confined: this loop's waiting requests, oldest first, and the timer due at the oldest one's deadline.
	private final ArrayDeque<WaitingRequest> waitingHere = new ArrayDeque<>();

	private boolean expiryScheduled;

	private final Runnable expireDue = this::expireDue;

	private LoopDispatch(ExchangeDispatcher dispatcher, SingleThreadIoEventLoop loop) {
		this.dispatcher = dispatcher;
		this.loop = loop;
		this.wakeUp = (loop != null) ? new PassWakeUp(loop, dispatcher::wakeWorkersFor) : null;
	}

	/** Offers an exchange; see {@link ExchangeDispatcher#dispatch}. */
	public boolean dispatch(Exchange exchange) {
		if (this.loop == null || !this.loop.inEventLoop()) {
			return this.dispatcher.dispatch(exchange);
		}
		if (!this.dispatcher.enqueue(exchange)) {
			return false;
		}
		this.wakeUp.handedOver();
		return true;
	}

	/**
	 * Offers an exchange, and when the queue is full lets it wait for room for up to
	 * {@link HttpServerConfig#getRequestQueueTimeout} instead of refusing it (see {@link WaitingRoom}).
	 * @return {@code false} when refused at once: no waiting (timeout 0, a dispatcher without a queue, a call off the
	 * loop), or the server stopping; {@code true} when queued or waiting, and then the exchange is owed an answer
	 */
	boolean dispatchOrWait(Exchange exchange, HttpServerStats stats, HttpServerConfig config) {
		WaitingRoom room = this.dispatcher.waitingRoom();
		boolean offered = false;
		if (room == null || room.isEmpty()) {
			// The usual case: nobody waits, so the request may go straight to the queue without overtaking anyone.
			if (dispatch(exchange)) {
				return true;
			}
			if (room == null) {
				return false;
			}
			offered = true;
		}
		long timeoutNanos = config.getRequestQueueTimeout().toNanos();
		if (timeoutNanos <= 0 || this.loop == null || !this.loop.inEventLoop()) {
			// It may not wait (timeout 0, or not on an I/O loop that can time it): the queue takes it now or never.
			return !offered && dispatch(exchange);
		}
		if (!exchange.isOpen()) {
			// Its client has gone already: refused as before, never queued behind others.
			return false;
		}
		WaitingRequest waiting = new WaitingRequest(room, exchange, stats, RequestAdmission.retryAfterSeconds(config),
				System.nanoTime(), timeoutNanos);
		// Registered before the request can be admitted: a worker's own registration then replaces this one.
		exchange.onConnectionLost(waiting::cancel);
		if (!room.enter(waiting)) {
			waiting.abandon();
			return false;
		}
		// Admission is oldest first, so those admitted or gone are mostly at the head: drop them before they pile up.
		// One merely claimed stays: a refused claim puts it back, and then only this loop's timer can end its wait.
		while (!this.waitingHere.isEmpty() && this.waitingHere.peek().hasEnded()) {
			this.waitingHere.poll();
		}
		this.waitingHere.add(waiting);
		if (!this.expiryScheduled) {
			scheduleExpiry(timeoutNanos);
		}
		return true;
	}

	private void scheduleExpiry(long delayNanos) {
		this.expiryScheduled = true;
		try {
			this.loop.schedule(this.expireDue, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RuntimeException ex) {
			// The loop is shutting down: the dispatcher's stop answers whoever still waits.
			this.expiryScheduled = false;
		}
	}

	/**
	 * Loop: answers 503 to this loop's requests that waited their full time, oldest first (one being offered to the
	 * queue at that moment is answered by the thread offering it, if the queue refuses it).
	 */
	private void expireDue() {
		this.expiryScheduled = false;
		long now = System.nanoTime();
		WaitingRequest oldest;
		while ((oldest = this.waitingHere.peek()) != null) {
			if (!oldest.hasEnded() && oldest.deadlineNanos - now > 0) {
				scheduleExpiry(oldest.deadlineNanos - now);
				return;
			}
			this.waitingHere.poll();
			oldest.expire();
		}
	}

	/**
	 * One {@link LoopDispatch} per event loop for one dispatcher, made on first use: connections look theirs up once,
	 * when they open.
	 */
	public static final class PerLoop {

		private final ExchangeDispatcher dispatcher;

		private final Map<EventLoop, LoopDispatch> byLoop = new ConcurrentHashMap<>();

		public PerLoop(ExchangeDispatcher dispatcher) {
			this.dispatcher = dispatcher;
		}

		/** What a connection on {@code loop} dispatches through. */
		public LoopDispatch forLoop(EventLoop loop) {
			return this.byLoop.computeIfAbsent(loop, (key) -> new LoopDispatch(this.dispatcher,
					(key instanceof SingleThreadIoEventLoop singleThread) ? singleThread : null));
		}

	}

}
