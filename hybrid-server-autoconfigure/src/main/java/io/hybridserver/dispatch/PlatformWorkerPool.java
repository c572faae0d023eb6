package io.hybridserver.dispatch;

import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.jctools.queues.MessagePassingQueue;

import io.hybridserver.queues.LockFreeQueues;

/**
 * Platform threads, started on demand up to a maximum. An idle worker first spins briefly on the queue when there is another CPU to spin on
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
 *
 * <p>Only {@code minSpare} workers are started with the pool (Tomcat's {@code min-spare}); an idle server has no more
 * threads than those. More are started only by the {@link StallWatchdog}, when it would wake a parked worker and none
 * is parked: so never on an event loop (a thread start is a system call and a stack to map), and only when requests
 * already wait for a worker. A worker beyond {@code minSpare} that found no work for {@code idleTimeout} retires.
 * Retiring cannot lose a wake-up: a worker retires only after waking up by itself (so no producer counted on it), and
 * a producer that woke nobody has armed the watchdog, which starts a worker while exchanges wait and none is parked.
 */
final class PlatformWorkerPool implements WorkerPool {

	/**
	 * Polls before parking. None on a single CPU: there the spinner only holds back the event loop that would produce
	 * its work (measured: about a quarter of a keep-alive request's CPU went to spinning and parking).
	 */
	private static final int SPINS = (Runtime.getRuntime().availableProcessors() > 1) ? 256 : 0;

	/** The safety net's timed park: how long a parked worker sleeps at most. */
	static final long SAFETY_PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final MessagePassingQueue<QueuedExchange> queue;

	private final ExchangeRunner runner;

	private final int maxWorkers;

	private final int minSpare;

	private final long idleTimeoutNanos;

	/** How long a parked worker sleeps at most: the safety net's park, or sooner when it may retire. */
	private final long parkNanos;

	private final String namePrefix;

	/** Started and not retired; what {@link #stop} waits for. */
	private final Set<Worker> live = ConcurrentHashMap.newKeySet();

	/** Workers started and not retired (counted before the thread starts, so that the maximum holds). */
	private final AtomicInteger liveCount = new AtomicInteger();

	/** Numbers the threads' names, as Tomcat's exec-N: a started worker gets the next number. */
	private final AtomicInteger threadNumber = new AtomicInteger();

	/** Registered idle workers, most recently parked first. */
	private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();

	/** Continuations of exchanges already started: taken before new exchanges, so started work finishes first. */
	private final Queue<Runnable> continuations = LockFreeQueues.unboundedMpmc(256);

	/** Workers not parked: running an exchange, or looking for one. */
	private final AtomicInteger awake;

	private final int targetAwake;

	private final long safetyParkNanos;

	private final StallWatchdog watchdog;

	/** Parked workers woken by a producer or the watchdog, since the start. */
	private final LongAdder wakeUps = new LongAdder();

	/** Workers started beyond the first {@code minSpare}, since the start. */
	private final LongAdder extraStarts = new LongAdder();

	/** Workers retired after their idle timeout, since the start. */
	private final LongAdder retirements = new LongAdder();

	/** Runs in a retiring worker once it is out of the pool, before its thread ends: for tests of that race. */
	volatile Runnable retiringHook = () -> {
	};

	private volatile boolean running = true;

	/**
	 * A pool that keeps all {@code size} workers (started at once, never retired): for tests of the wake-ups.
	 */
	PlatformWorkerPool(int size, int targetAwake, long safetyParkNanos, BooleanSupplier cpuBound,
			MessagePassingQueue<QueuedExchange> queue, ExchangeRunner runner, String namePrefix) {
		this(new Sizing(size, size, Long.MAX_VALUE), targetAwake, safetyParkNanos, cpuBound, queue, runner,
				namePrefix);
	}

	/**
	 * @param sizing the most workers, how many are kept, and how long an extra one may idle
	 * @param cpuBound the watchdog's test of a CPU-bound process ({@link ProcessCpu#saturated}, but for tests)
	 */
	PlatformWorkerPool(Sizing sizing, int targetAwake, long safetyParkNanos, BooleanSupplier cpuBound,
			MessagePassingQueue<QueuedExchange> queue, ExchangeRunner runner, String namePrefix) {
		this.queue = queue;
		this.runner = runner;
		this.maxWorkers = sizing.max();
		this.minSpare = Math.min(sizing.minSpare(), sizing.max());
		this.idleTimeoutNanos = sizing.idleTimeoutNanos();
		this.targetAwake = Math.max(1, Math.min(sizing.max(), targetAwake));
		this.safetyParkNanos = safetyParkNanos;
		this.parkNanos = (this.minSpare < this.maxWorkers) ? Math.min(safetyParkNanos, this.idleTimeoutNanos)
				: safetyParkNanos;
		this.namePrefix = namePrefix;
		this.awake = new AtomicInteger();
		this.watchdog = new StallWatchdog(queue, this::wakeBeyondTarget, this::continuationsWaiting, cpuBound,
				namePrefix + "watchdog");
		this.watchdog.start();
		for (int i = 0; i < this.minSpare; i++) {
			startWorker();
		}
	}

	/**
	 * How many workers a pool may have and keeps.
	 * @param max the most workers at once ({@code server.hybrid.workers})
	 * @param minSpare workers started with the pool and never retired (capped at {@code max})
	 * @param idleTimeoutNanos how long a worker beyond {@code minSpare} may find no work before it retires
	 */
	record Sizing(int max, int minSpare, long idleTimeoutNanos) {

		Sizing {
			if (max <= 0 || minSpare < 0 || idleTimeoutNanos <= 0) {
				throw new IllegalArgumentException("Bad worker pool sizing: max " + max + ", min spare " + minSpare
						+ ", idle timeout " + idleTimeoutNanos + " ns");
			}
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

	/**
	 * Queued with the continuations (taken before new exchanges), but woken for as new exchanges are: only while
	 * fewer than the target are awake, so that an awake worker takes the next task without a park and a wake-up in
	 * between; the watchdog covers workers that block.
	 */
	@Override
	public void enqueueTask(Runnable task) {
		if (!this.running) {
			this.runner.runTask(task);
			return;
		}
		this.continuations.offer(task);
	}

	@Override
	public void wakeForTasks(int count) {
		onEnqueued(count);
	}

	/** How many times a parked worker was woken for work (not counting the safety net's timeouts). */
	@Override
	public long wakeUps() {
		return this.wakeUps.sum();
	}

	/** The watchdog, for tests that tell its wake-ups from the producers'. */
	StallWatchdog watchdog() {
		return this.watchdog;
	}

	/** Workers started beyond the first {@code minSpare}. */
	long extraStarts() {
		return this.extraStarts.sum();
	}

	/** Workers that retired after their idle timeout. */
	long retirements() {
		return this.retirements.sum();
	}

	/** Workers registered as idle (parked, or about to park): for tests of which one is woken. */
	int idleWorkers() {
		return this.idle.size();
	}

	/** Called by the watchdog only: wakes parked workers, and starts new ones (up to the maximum) when none is parked. */
	private void wakeBeyondTarget(int count) {
		for (int woken = 0; woken < count; woken++) {
			if (!wakeOne() && !startExtraWorker()) {
				return;
			}
		}
	}

	private boolean continuationsWaiting() {
		return !this.continuations.isEmpty();
	}

	private boolean startExtraWorker() {
		if (!startWorker()) {
			return false;
		}
		this.extraStarts.increment();
		return true;
	}

	/** Starts a worker unless the pool is at its maximum or stopped; it counts as awake until it parks. */
	private boolean startWorker() {
		int count;
		do {
			count = this.liveCount.get();
			if (count >= this.maxWorkers || !this.running) {
				return false;
			}
		}
		while (!this.liveCount.compareAndSet(count, count + 1));
		Worker worker = new Worker();
		Thread thread = new Thread(worker, this.namePrefix + this.threadNumber.incrementAndGet());
		thread.setDaemon(false);
		worker.thread = thread;
		this.live.add(worker);
		this.awake.incrementAndGet();
		thread.start();
		return true;
	}

	/**
	 * Takes a retiring worker out of the count, unless that would leave fewer than {@code minSpare}: false when it must
	 * stay.
	 */
	private boolean releaseSlot() {
		int count;
		do {
			count = this.liveCount.get();
			if (count <= this.minSpare) {
				return false;
			}
		}
		while (!this.liveCount.compareAndSet(count, count - 1));
		return true;
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
		return this.maxWorkers;
	}

	@Override
	public int currentWorkers() {
		return this.liveCount.get();
	}

	@Override
	public void stop(long timeoutMillis) {
		this.running = false;
		this.watchdog.stop();
		// No worker starts from here on (only the watchdog starts them, and startWorker() checks running).
		Worker[] workers = this.live.toArray(new Worker[0]);
		for (Worker worker : workers) {
			LockSupport.unpark(worker.thread);
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		for (Worker worker : workers) {
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

		/** What {@link #take} returns when the worker retires. */
		private static final Object RETIRE = new Object();

		Thread thread;

		final AtomicBoolean parked = new AtomicBoolean();

		final AtomicBoolean registered = new AtomicBoolean();

		/** When the worker last finished (or started) work: its idle time counts from here. */
		private long idleSince = System.nanoTime();

		@Override
		public void run() {
			while (PlatformWorkerPool.this.running) {
				Object next = take();
				if (next == RETIRE) {
					PlatformWorkerPool.this.retiringHook.run();
					return;
				}
				if (next instanceof QueuedExchange exchange) {
					PlatformWorkerPool.this.runner.run(exchange);
				}
				else if (next != null) {
					PlatformWorkerPool.this.runner.runTask((Runnable) next);
				}
				if (next != null) {
					this.idleSince = System.nanoTime();
				}
			}
			PlatformWorkerPool.this.live.remove(this);
		}

		/**
		 * A continuation or else a new exchange; spins, then parks until there is one (or a timeout). {@link #RETIRE}
		 * when the worker idled past its timeout and the pool has more than it keeps.
		 */
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
				LockSupport.parkNanos(this, PlatformWorkerPool.this.parkNanos);
			}
			boolean wokeByItself = this.parked.compareAndSet(true, false);
			if (wokeByItself) {
				// Up by itself (work found before parking, the timeout): nobody counted it awake.
				PlatformWorkerPool.this.awake.incrementAndGet();
			}
			if (next == null) {
				next = poll();
			}
			if (next == null && wokeByItself && idledOut() && retire()) {
				return RETIRE;
			}
			return next;
		}

		private boolean idledOut() {
			return System.nanoTime() - this.idleSince >= PlatformWorkerPool.this.idleTimeoutNanos
					&& PlatformWorkerPool.this.running;
		}

		/**
		 * Leaves the pool, when it has more workers than it keeps. Nobody counts on this worker now: it woke by itself,
		 * so a producer that picks it from the idle stack fails to claim it and looks further (and, finding none,
		 * arms the watchdog, which starts a worker if exchanges then wait).
		 */
		private boolean retire() {
			if (!PlatformWorkerPool.this.releaseSlot()) {
				return false;
			}
			PlatformWorkerPool.this.idle.remove(this);
			this.registered.set(false);
			PlatformWorkerPool.this.awake.decrementAndGet();
			PlatformWorkerPool.this.live.remove(this);
			PlatformWorkerPool.this.retirements.increment();
			return true;
		}

		private Object poll() {
			Runnable continuation = PlatformWorkerPool.this.continuations.poll();
			return (continuation != null) ? continuation : PlatformWorkerPool.this.queue.poll();
		}

	}

}
