package io.hybridserver.dispatch;

import java.time.Duration;
import java.util.concurrent.Executor;

import org.jctools.queues.MessagePassingQueue;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.ExchangeDispatcher;
import io.hybridserver.http.WaitingRoom;
import io.hybridserver.queues.LockFreeQueues;

/**
 * The request queue and its workers: the one point where exchanges leave the event loops.
 *
 * <p>The queue is a bounded lock-free MPMC array (JCTools): event loops offer without locks or allocation beyond the
 * entry, and a full queue is a fast, explicit "no": the I/O tier lets the request wait for room in the
 * {@link WaitingRoom} (which this dispatcher tells each time a worker takes an exchange), or answers 503 with
 * {@code Retry-After}. Nothing that was accepted is dropped: on {@link #stop} exchanges still queued or waiting are
 * answered 503.
 */
public final class Dispatcher implements ExchangeDispatcher, Executor {

	private final MessagePassingQueue<QueuedExchange> queue;

	private final int capacity;

	private final WorkerPool workers;

	private volatile boolean accepting = true;

	/** Null in event-loop mode, where nothing waits for room. */
	private final WaitingRoom waitingRoom;

	/** What the pool's signals hold beyond its threads (the CPU signal's open files), released after the workers. */
	private final Runnable afterStop;

	private Dispatcher(int capacity, WorkerPool workers, MessagePassingQueue<QueuedExchange> queue,
			RoomSignal roomSignal, Runnable afterStop) {
		this.capacity = capacity;
		this.afterStop = afterStop;
		this.workers = workers;
		this.queue = queue;
		this.waitingRoom = (roomSignal != null) ? new WaitingRoom(this) : null;
		if (roomSignal != null) {
			roomSignal.room = this.waitingRoom;
		}
	}

	/**
	 * Starts a dispatcher with all its platform worker threads started at once and kept.
	 * @param workers number of worker threads
	 * @param queueCapacity exchanges that may wait for a worker before new ones are refused
	 */
	public static Dispatcher platformThreads(int workers, int queueCapacity, ExchangeHandler handler,
			DispatchObserver observer) {
		return platformThreads(workers, workers, Duration.ofMillis(Long.MAX_VALUE), queueCapacity, handler, observer);
	}

	/**
	 * Starts a dispatcher with platform worker threads started on demand: {@code minSpare} at once and kept, more (up
	 * to {@code maxWorkers}) when requests wait and no worker is idle, each extra one retiring after
	 * {@code idleTimeout} without work.
	 * @param maxWorkers the most worker threads at once
	 * @param minSpare worker threads kept even when idle (capped at {@code maxWorkers})
	 * @param idleTimeout how long a worker beyond {@code minSpare} may idle before it ends
	 * @param queueCapacity exchanges that may wait for a worker before new ones are refused
	 */
	public static Dispatcher platformThreads(int maxWorkers, int minSpare, Duration idleTimeout, int queueCapacity,
			ExchangeHandler handler, DispatchObserver observer) {
		requirePositive("workers", maxWorkers);
		requirePositive("queue capacity", queueCapacity);
		if (minSpare < 0 || idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new IllegalArgumentException("The minimum of spare workers must be 0 or more, was " + minSpare
					+ ", and their idle timeout positive, was " + idleTimeout);
		}
		long idleNanos = (idleTimeout.compareTo(Duration.ofDays(365)) > 0) ? Long.MAX_VALUE : idleTimeout.toNanos();
		return platformThreads(new PlatformWorkerPool.Sizing(maxWorkers, minSpare, idleNanos),
				PlatformWorkerPool.defaultTargetAwake(maxWorkers), PlatformWorkerPool.SAFETY_PARK_NANOS, queueCapacity,
				handler, observer);
	}

	/**
	 * As {@link #platformThreads(int, int, Duration, int, ExchangeHandler, DispatchObserver)}, keeping
	 * {@code targetAwake} workers awake and parking idle ones for at most {@code safetyParkNanos}: for tests of the
	 * pool's wake-ups.
	 */
	static Dispatcher platformThreads(int workers, int targetAwake, long safetyParkNanos, int queueCapacity,
			ExchangeHandler handler, DispatchObserver observer) {
		return platformThreads(new PlatformWorkerPool.Sizing(workers, workers, Long.MAX_VALUE), targetAwake,
				safetyParkNanos, queueCapacity, handler, observer);
	}

	private static Dispatcher platformThreads(PlatformWorkerPool.Sizing sizing, int targetAwake, long safetyParkNanos,
			int queueCapacity, ExchangeHandler handler, DispatchObserver observer) {
		requirePositive("queue capacity", queueCapacity);
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(Math.max(2, queueCapacity));
		RoomSignal roomSignal = new RoomSignal(observer);
		ExchangeRunner runner = new ExchangeRunner(handler, roomSignal);
		ProcessCpu cpu = new ProcessCpu("hybrid-worker-");
		PlatformWorkerPool pool = new PlatformWorkerPool(sizing, targetAwake, safetyParkNanos, cpu::saturated, queue,
				runner, "hybrid-worker-");
		return new Dispatcher(queueCapacity, pool, queue, roomSignal, cpu::close);
	}

	/**
	 * Starts a dispatcher that runs each exchange on a new virtual thread.
	 * @throws IllegalStateException below Java 21
	 */
	public static Dispatcher virtualThreads(int queueCapacity, ExchangeHandler handler, DispatchObserver observer) {
		requirePositive("queue capacity", queueCapacity);
		if (!VirtualThreadWorkerPool.isSupported()) {
			throw new IllegalStateException("Virtual threads need Java 21 or later; this is Java "
					+ Runtime.version().feature());
		}
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(Math.max(2, queueCapacity));
		RoomSignal roomSignal = new RoomSignal(observer);
		ExchangeRunner runner = new ExchangeRunner(handler, roomSignal);
		return new Dispatcher(queueCapacity, new VirtualThreadWorkerPool(queue, runner, "hybrid-vworker-"), queue,
				roomSignal, null);
	}

	/**
	 * A dispatcher without a queue or workers: each exchange runs at once on the event loop that decoded it. For
	 * handlers that never block (WebFlux applications that choose it); the request queue's bound and metrics stay, and
	 * read 0.
	 */
	public static Dispatcher eventLoop(int queueCapacity, ExchangeHandler handler, DispatchObserver observer) {
		requirePositive("queue capacity", queueCapacity);
		ExchangeRunner runner = new ExchangeRunner(handler, observer);
		return new Dispatcher(queueCapacity, new EventLoopWorkerPool(runner), LockFreeQueues.mpmc(2), null, null);
	}

	/** Whether virtual threads can be used on this JVM. */
	public static boolean virtualThreadsSupported() {
		return VirtualThreadWorkerPool.isSupported();
	}

	@Override
	public boolean dispatch(Exchange exchange) {
		if (!enqueue(exchange)) {
			return false;
		}
		wakeWorkersFor(1);
		return true;
	}

	/** In event-loop mode the exchange runs now, as with {@link #dispatch}: there is no worker to wake later. */
	@Override
	public boolean enqueue(Exchange exchange) {
		if (this.workers instanceof EventLoopWorkerPool onLoop) {
			return runOnLoop(onLoop, exchange);
		}
		return offer(exchange);
	}

	@Override
	public void wakeWorkersFor(int enqueued) {
		if (!(this.workers instanceof EventLoopWorkerPool)) {
			this.workers.onEnqueued(enqueued);
		}
	}

	private boolean runOnLoop(EventLoopWorkerPool onLoop, Exchange exchange) {
		if (!this.accepting) {
			return false;
		}
		onLoop.run(exchange);
		return true;
	}

	private boolean offer(Exchange exchange) {
		return offer(exchange, System.nanoTime());
	}

	/** A request that waited for room since {@code arrivedNanos}: its queue wait counts from then. Any thread. */
	@Override
	public boolean enqueue(Exchange exchange, long arrivedNanos) {
		return !(this.workers instanceof EventLoopWorkerPool) && offer(exchange, arrivedNanos);
	}

	private boolean offer(Exchange exchange, long enqueuedNanos) {
		// The array queue rounds its capacity up to a power of two; the configured bound is enforced here.
		return this.accepting && this.queue.size() < this.capacity
				&& this.queue.offer(new QueuedExchange(exchange, enqueuedNanos));
	}

	@Override
	public boolean hasRoom() {
		return this.accepting && this.queue.size() < this.capacity;
	}

	@Override
	public WaitingRoom waitingRoom() {
		return this.waitingRoom;
	}

	/** Requests waiting for room in the full queue (0 in event-loop mode). */
	public int waitingRequests() {
		return (this.waitingRoom != null) ? this.waitingRoom.size() : 0;
	}

	/**
	 * Runs a task that continues an exchange already taken from the queue (its request body has data, its client
	 * caught up): on a worker, before any new exchange; on the caller's thread in event-loop mode or once stopped.
	 * Never refused and never blocks, so an event loop may call it.
	 */
	@Override
	public void execute(Runnable task) {
		this.workers.execute(task);
	}

	/**
	 * Queues a task that needs a worker but not a fresh one, such as a WebSocket session's events: taken before new
	 * exchanges, as a continuation is, but without waking a worker, so that an event loop which hands over several
	 * in one pass wakes workers once, after it ({@link #wakeWorkersForTasks}). Never refused and never blocks; on the
	 * caller's thread once stopped.
	 */
	public void enqueueTask(Runnable task) {
		this.workers.enqueueTask(task);
	}

	/**
	 * Wakes the workers that {@code count} tasks queued by {@link #enqueueTask} need, as for new exchanges: a parked
	 * worker only while fewer than the pool's target are awake (an awake one takes the next task without parking);
	 * the stall watchdog wakes more when the awake ones block. Must follow {@link #enqueueTask} before the caller can
	 * wait.
	 */
	public void wakeWorkersForTasks(int count) {
		this.workers.wakeForTasks(count);
	}

	/** Exchanges waiting for a worker. */
	public int queueDepth() {
		return this.queue.size();
	}

	/**
	 * How many times a parked platform worker was woken for work since the start (0 for virtual threads and the event
	 * loops): divided by the requests served, what the hand-off costs in wake-ups.
	 */
	public long workerWakeUps() {
		return this.workers.wakeUps();
	}

	/** The configured bound of the request queue. */
	public int queueCapacity() {
		return this.capacity;
	}

	/** Workers running an exchange now. */
	public int busyWorkers() {
		return this.workers.busyWorkers();
	}

	/** Worker threads that exist now (platform workers started and not retired). */
	public int currentWorkers() {
		return this.workers.currentWorkers();
	}

	/** The most workers that can run at once ({@link Integer#MAX_VALUE} with virtual threads). */
	public int maxWorkers() {
		return this.workers.maxWorkers();
	}

	/**
	 * Stops: refuses new exchanges, answers still-queued ones with 503, and gives running ones up to
	 * {@code timeoutMillis} to finish.
	 */
	public void stop(long timeoutMillis) {
		this.accepting = false;
		if (this.waitingRoom != null) {
			this.waitingRoom.close();
		}
		QueuedExchange left;
		while ((left = this.queue.poll()) != null) {
			ExchangeRunner.refuse(left.exchange);
		}
		this.workers.stop(timeoutMillis);
		while ((left = this.queue.poll()) != null) {
			ExchangeRunner.refuse(left.exchange);
		}
		if (this.afterStop != null) {
			this.afterStop.run();
		}
	}

	/**
	 * Hears each exchange a worker takes: passes its queue wait on to the metrics, then lets the waiting room know
	 * there is room. One volatile read per exchange while nobody waits.
	 */
	private static final class RoomSignal implements DispatchObserver {

		private final DispatchObserver metrics;

		/** Set once, by the dispatcher's constructor, before any exchange is offered. */
		volatile WaitingRoom room;

		RoomSignal(DispatchObserver metrics) {
			this.metrics = metrics;
		}

		@Override
		public void exchangeDequeued(long waitNanos) {
			this.metrics.exchangeDequeued(waitNanos);
			WaitingRoom waiting = this.room;
			if (waiting != null) {
				waiting.roomFreed();
			}
		}

	}

	private static void requirePositive(String name, int value) {
		if (value <= 0) {
			throw new IllegalArgumentException("The number of " + name + " must be positive, was " + value);
		}
	}

}
