package io.hybridserver.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 */
public final class LoopDispatch implements Runnable {

	private final ExchangeDispatcher dispatcher;

	/** Null for a loop that is not an I/O loop, which may never run after-iteration tasks: then every dispatch wakes. */
	private final SingleThreadIoEventLoop loop;

	// Loop-confined: exchanges enqueued in this pass, and whether the wake-up is registered for its end.
	private int enqueued;

	private boolean wakeUpRegistered;

	private LoopDispatch(ExchangeDispatcher dispatcher, SingleThreadIoEventLoop loop) {
		this.dispatcher = dispatcher;
		this.loop = loop;
	}

	/** Offers an exchange; see {@link ExchangeDispatcher#dispatch}. */
	public boolean dispatch(Exchange exchange) {
		if (this.loop == null || !this.loop.inEventLoop()) {
			return this.dispatcher.dispatch(exchange);
		}
		if (!this.dispatcher.enqueue(exchange)) {
			return false;
		}
		this.enqueued++;
		if (!this.wakeUpRegistered) {
			this.wakeUpRegistered = true;
			try {
				this.loop.executeAfterEventLoopIteration(this);
			}
			catch (RuntimeException ex) {
				// The loop is shutting down and takes no more tasks: wake now rather than never.
				run();
			}
		}
		return true;
	}

	/** The end of the loop's pass: wakes the workers for what it enqueued. */
	@Override
	public void run() {
		int count = this.enqueued;
		this.enqueued = 0;
		this.wakeUpRegistered = false;
		if (count > 0) {
			this.dispatcher.wakeWorkersFor(count);
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
