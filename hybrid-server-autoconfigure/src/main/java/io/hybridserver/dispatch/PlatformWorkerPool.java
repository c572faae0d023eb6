package io.hybridserver.dispatch;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * A fixed set of platform threads. An idle worker first spins briefly on the queue when there is another CPU to spin on
 * (a burst of requests usually follows another, and a spin is cheaper than a park/unpark pair), then registers itself
 * as idle and parks.
 *
 * <p>Only a few workers are kept awake: the event loop wakes parked workers for new exchanges (once per pass of the
 * loop, see {@code http.LoopDispatch}) while fewer than its target are awake (one per CPU); past that the exchange
 * waits for an awake worker to finish its request and take the next one, with no park and no wake-up in between.
 * When the awake workers stop taking (they block on I/O or locks) or fall behind, the {@link StallWatchdog} wakes
 * more within a millisecond or so. Why: on a
 * small machine a worker woken per request means as many runnable threads as requests in flight, each a context switch,
 * all sharing the CPUs with the event loops that must read and write for them (profiles in docs/benchmarks.md).
 *
 * <p>Idle workers wait in a stack, not a queue: the worker that parked last is woken first, so under a load that needs
 * a few workers the same few stay hot (their caches, their JIT-inlined paths) and the rest of the pool stays parked
 * instead of every worker taking a turn and spinning on the way out.
 *
 * <p>No wake-up is lost: a worker counts itself asleep and publishes itself as idle before its final look at the
 * queue, and a producer enqueues before it counts the awake workers or looks for an idle one, so one of the two always
 * sees the other. The park is timed anyway, as a safety net that costs one wake-up per idle worker per second.
 */
final class PlatformWorkerPool implements WorkerPool {

	/**
	 * Polls before parking. None on a single CPU: there the spinner only holds back the event loop that would produce
	 * its work (measured: about a quarter of a keep-alive request's CPU went to spinning and parking).
	 */
	private static final int SPINS = (Runtime.getRuntime().availableProcessors() > 1) ? 256 : 0;

	/** The safety net's timed park: how long a parked worker sleeps at most. */
	static final long SAFETY_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final MpmcArrayQueue<QueuedExchange> queue;

	private final ExchangeRunner runner;

	private final Worker[] workers;

	/** Registered idle workers, most recently parked first. */
	private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();

	/** Continuations of exchanges already started: taken before new exchanges, so started work finishes first. */
	private final MpmcUnboundedXaddArrayQueue<Runnable> continuations = new MpmcUnboundedXaddArrayQueue<>(256);

	/** Workers not parked: running an exchange, or looking for one. */
	private final AtomicInteger awake;

	private final int targetAwake;

	private final long safetyParkNanos;

	private final StallWatchdog watchdog;

	/** Parked workers woken by a producer or the watchdog, since the start. */
	private final LongAdder wakeUps = new LongAdder();

	private volatile boolean running = true;

	PlatformWorkerPool(int size, MpmcArrayQueue<QueuedExchange> queue, ExchangeRunner runner, String namePrefix) {
		this(size, defaultTargetAwake(size), SAFETY_PARK_NANOS, queue, runner, namePrefix);
	}

	PlatformWorkerPool(int size, int targetAwake, long safetyParkNanos, MpmcArrayQueue<QueuedExchange> queue,
			ExchangeRunner runner, String namePrefix) {
		this(size, targetAwake, safetyParkNanos, new ProcessCpu()::saturated, queue, runner, namePrefix);
	}

	/**
	 * @param cpuBound the watchdog's test of CPU saturation (this process's CPU use, but for tests)
	 */
	PlatformWorkerPool(int size, int targetAwake, long safetyParkNanos, BooleanSupplier cpuBound,
			MpmcArrayQueue<QueuedExchange> queue, ExchangeRunner runner, String namePrefix) {
		this.queue = queue;
		this.runner = runner;
		this.targetAwake = Math.max(1, Math.min(size, targetAwake));
		this.safetyParkNanos = safetyParkNanos;
		this.workers = new Worker[size];
		this.awake = new AtomicInteger(size);
		for (int i = 0; i < size; i++) {
			this.workers[i] = new Worker();
			Thread thread = new Thread(this.workers[i], namePrefix + (i + 1));
			thread.setDaemon(false);
			this.workers[i].thread = thread;
		}
		this.watchdog = new StallWatchdog(queue, this::wakeBeyondTarget, cpuBound, namePrefix + "watchdog");
		this.watchdog.start();
		for (Worker worker : this.workers) {
			worker.thread.start();
		}
	}

	/**
	 * One awake worker per CPU. Not more: on one CPU a second awake worker can only run while the first is blocked, and
	 * otherwise it costs a context switch whenever the two trade the CPU (measured on one CPU, HTTPS keep-alive: two
	 * awake made 0.73 switches per request, one made 0.26, and served 3-5% more). A worker that blocks is covered by
	 * the {@link StallWatchdog}, which wakes another within about a millisecond.
	 */
	static int defaultTargetAwake(int size) {
		return Math.min(size, Math.max(1, Runtime.getRuntime().availableProcessors()));
	}

	@Override
	public void onEnqueued(int count) {
		int woken = 0;
		while (woken < count && this.awake.get() < this.targetAwake && wakeOne()) {
			woken++;
		}
		if (woken < count) {
			// Enough are awake (or none is parked): one of them takes the rest when done, or the watchdog wakes more.
			this.watchdog.arm();
		}
	}

	@Override
	public void execute(Runnable task) {
		if (!this.running) {
			// Stopped: no worker will take it, and what it finishes (releasing an exchange) must still happen.
			this.runner.runTask(task);
			return;
		}
		this.continuations.offer(task);
		// A continuation resumes an exchange that was already waiting: it gets a worker at once, target or not.
		if (!wakeOne()) {
			this.watchdog.arm();
		}
	}

	/** How many times a parked worker was woken for work (not counting the safety net's timeouts). */
	long wakeUps() {
		return this.wakeUps.sum();
	}

	private void wakeBeyondTarget(int count) {
		for (int woken = 0; woken < count && wakeOne(); woken++) {
			// wakeOne() did the work.
		}
	}

	/** Wakes the worker that parked last; false when none is parked. */
	private boolean wakeOne() {
		Worker worker;
		while ((worker = this.idle.pollFirst()) != null) {
			worker.registered.set(false);
			if (worker.parked.compareAndSet(true, false)) {
				this.awake.incrementAndGet();
				this.wakeUps.increment();
				LockSupport.unpark(worker.thread);
				return true;
			}
		}
		return false;
	}

	@Override
	public int busyWorkers() {
		return this.runner.busyWorkers();
	}

	@Override
	public int maxWorkers() {
		return this.workers.length;
	}

	@Override
	public void stop(long timeoutMillis) {
		this.running = false;
		this.watchdog.stop();
		for (Worker worker : this.workers) {
			LockSupport.unpark(worker.thread);
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		for (Worker worker : this.workers) {
			long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			try {
				worker.thread.join(Math.max(1, remaining));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (worker.thread.isAlive()) {
				worker.thread.interrupt();
			}
		}
		Runnable left;
		while ((left = this.continuations.poll()) != null) {
			this.runner.runTask(left);
		}
	}

	private final class Worker implements Runnable {

		Thread thread;

		final AtomicBoolean parked = new AtomicBoolean();

		final AtomicBoolean registered = new AtomicBoolean();

		@Override
		public void run() {
			while (PlatformWorkerPool.this.running) {
				Object next = take();
				if (next instanceof QueuedExchange exchange) {
					PlatformWorkerPool.this.runner.run(exchange);
				}
				else if (next != null) {
					PlatformWorkerPool.this.runner.runTask((Runnable) next);
				}
			}
		}

		/** A continuation or else a new exchange; spins, then parks until there is one (or a timeout). */
		private Object take() {
			Object next = poll();
			for (int i = 0; next == null && i < SPINS; i++) {
				Thread.onSpinWait();
				next = poll();
			}
			if (next != null) {
				return next;
			}
			this.parked.set(true);
			PlatformWorkerPool.this.awake.decrementAndGet();
			if (this.registered.compareAndSet(false, true)) {
				PlatformWorkerPool.this.idle.offerFirst(this);
			}
			next = poll();
			if (next == null && PlatformWorkerPool.this.running) {
				LockSupport.parkNanos(this, PlatformWorkerPool.this.safetyParkNanos);
			}
			if (this.parked.compareAndSet(true, false)) {
				// Up by itself (work found before parking, the safety timeout): nobody counted it awake.
				PlatformWorkerPool.this.awake.incrementAndGet();
			}
			return (next != null) ? next : poll();
		}

		private Object poll() {
			Runnable continuation = PlatformWorkerPool.this.continuations.poll();
			return (continuation != null) ? continuation : PlatformWorkerPool.this.queue.poll();
		}

	}

}
