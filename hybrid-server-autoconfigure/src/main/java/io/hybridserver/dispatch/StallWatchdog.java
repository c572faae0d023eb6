package io.hybridserver.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.MessagePassingQueue;

import io.hybridserver.queues.LockFreeQueues;

/**
 * Wakes more workers when the ones awake stop taking from the request queue: the safety valve that lets
 * {@link PlatformWorkerPool} keep only a few workers awake.
 *
 * <p>The pool wakes a parked worker for a new exchange only while fewer than its target are awake; past that, the
 * exchange waits for an awake worker to finish and take it, and the pool arms this watchdog. Armed, it looks at the
 * queue every {@value #TICK_MICROS} µs while the queue holds exchanges, and then parks until armed again (an idle server
 * pays nothing for it). Two signs tell it that the awake workers are not keeping up, for instance because they wait on
 * a database, a lock or a slow client:
 * <ul>
 * <li>no worker took anything from the queue during a whole tick: it wakes a worker for every exchange waiting;</li>
 * <li>the oldest exchange has waited longer than {@value #MAX_WAIT_MILLIS} ms although workers do take: it wakes one more
 * worker per tick, so the number awake grows until the queue drains in time.</li>
 * </ul>
 * So a blocking application waits at most about a tick longer than with a worker woken per exchange, and an application
 * that only computes is served by a few hot workers instead of by as many runnable threads as there are requests.
 *
 * <p>Both signs also show when nothing blocks but the workers wait for a CPU: they then neither get one for a whole tick
 * (an event loop's pass over a few hundred connections takes milliseconds) nor keep waits short, and waking more of
 * them only adds threads that take turns on the same CPUs (measured on one CPU at 256 connections: a dozen workers
 * woken, each switch costing the loop time). So while the process is CPU-bound ({@link ProcessCpu}: its workers,
 * running or waiting on a run queue, fill the CPUs it may use, or its cgroup ran out of its quota; not how busy the
 * machine is, since a node that other containers keep busy may still give our workers a CPU when they want one)
 * the watchdog ignores long waits and wakes one worker only after {@value #MAX_WAIT_MILLIS} ms without a take: a guard
 * against a pool whose awake workers all block while the rest of the process burns the CPUs. Then it
 * also looks only every {@value #MAX_WAIT_MILLIS} ms, and an arming producer does not wake it (it looks within that
 * time anyway): a tick each millisecond, or a wake-up each time the queue fills again, would decide nothing more, and
 * each takes the CPU from a worker or an event loop for a moment, two context switches where they share a CPU
 * (scenario 9's JSON page on one core, docs/benchmarks.md). Once the process is no longer CPU-bound it goes back to
 * ticks of {@value #TICK_MICROS} µs, and an idle server's watchdog parks until armed, as before.
 *
 * <p>Continuations of started exchanges that no parked worker took get a worker per tick, saturated or not: they
 * finish work already accepted. When no worker is parked, "waking" one means the pool starts one (up to its maximum):
 * this thread is the only one that starts workers after the pool's first.
 */
final class StallWatchdog implements Runnable {

	static final long TICK_MICROS = 1_000;

	static final long MAX_WAIT_MILLIS = 10;

	private static final long TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(TICK_MICROS);

	private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);

	/** Ticks without a take after which a CPU-bound process still gets one more worker. */
	private static final long STALLED_TICKS_WHEN_CPU_BOUND = MAX_WAIT_MILLIS * 1_000 / TICK_MICROS;

	/** A CPU-bound process is looked at once per this many ticks: each look then counts as that many ticks. */
	private static final long TICKS_PER_LOOK_WHEN_CPU_BOUND = STALLED_TICKS_WHEN_CPU_BOUND;

	/** What the watchdog asks of the pool. */
	interface Waker {

		/** Wakes up to {@code count} parked workers, beyond the pool's target, starting new ones when none is parked. */
		void wakeBeyondTarget(int count);

	}

	private final MessagePassingQueue<QueuedExchange> queue;

	private final Waker waker;

	private final BooleanSupplier continuationsWaiting;

	private final BooleanSupplier cpuBound;

	private final AtomicBoolean armed = new AtomicBoolean();

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * Whether the watchdog looks by itself every {@value #MAX_WAIT_MILLIS} ms, armed or not (the process was CPU-bound
	 * when it last looked): then arming it needs no wake-up.
	 */
	private volatile boolean polling;

	/** Looks at the queue since the start (written by the watchdog's thread only): for tests. */
	private volatile long looks;

	/**
	 * Of those, the looks made after a park of {@value #MAX_WAIT_MILLIS} ms, because the process was CPU-bound (written by
	 * the watchdog's thread only): for tests of the rule that a CPU-bound process is looked at only that often.
	 */
	private volatile long slowLooks;

	/** Wake requests for a queue nobody took from during a whole look (written by the watchdog's thread only). */
	private volatile long stallWakes;

	/** Wake requests for a long wait although workers took (written by the watchdog's thread only). */
	private volatile long lagWakes;

	/**
	 * @param continuationsWaiting whether continuations wait for a worker
	 * @param cpuBound whether the process is CPU-bound now ({@link ProcessCpu}); asked from the watchdog's thread only
	 */
	StallWatchdog(MessagePassingQueue<QueuedExchange> queue, Waker waker, BooleanSupplier continuationsWaiting,
			BooleanSupplier cpuBound, String name) {
		this.queue = queue;
		this.waker = waker;
		this.continuationsWaiting = continuationsWaiting;
		this.cpuBound = cpuBound;
		this.thread = new Thread(this, name);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/** Called by a producer that left an exchange waiting without waking a worker; cheap once armed. */
	void arm() {
		// A polling watchdog reads the flag within MAX_WAIT_MILLIS; it clears "polling" before it reads the flag and
		// parks without a timeout, so one of the two sees the other's write.
		if (!this.armed.get() && this.armed.compareAndSet(false, true) && !this.polling) {
			LockSupport.unpark(this.thread);
		}
	}

	void stop() {
		this.running = false;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join(1_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void run() {
		while (this.running) {
			if (!this.armed.get()) {
				waitForArming();
				continue;
			}
			watchWhileQueued();
		}
	}

	/** Disarmed: a CPU-bound process's watchdog looks again in a while by itself; any other parks until armed. */
	private void waitForArming() {
		if (this.cpuBound.getAsBoolean()) {
			this.polling = true;
			LockSupport.parkNanos(this, TICKS_PER_LOOK_WHEN_CPU_BOUND * TICK_NANOS);
			return;
		}
		this.polling = false;
		if (!this.armed.get()) {
			LockSupport.park(this);
		}
	}

	/** Ticks while exchanges or continuations wait; returns disarmed once none does. */
	private void watchWhileQueued() {
		long takenBefore = LockFreeQueues.taken(this.queue);
		long stalledTicks = 0;
		long ticksPerLook = this.polling ? TICKS_PER_LOOK_WHEN_CPU_BOUND : 1;
		while (this.running) {
			LockSupport.parkNanos(this, ticksPerLook * TICK_NANOS);
			this.looks++;
			if (ticksPerLook == TICKS_PER_LOOK_WHEN_CPU_BOUND) {
				this.slowLooks++;
			}
			long ticks = ticksPerLook;
			ticksPerLook = 1;
			if (nothingWaits()) {
				this.armed.set(false);
				// A producer that found the watchdog still armed did not arm it again: look once more.
				if (nothingWaits() || !this.armed.compareAndSet(false, true)) {
					return;
				}
			}
			if (this.continuationsWaiting.getAsBoolean()) {
				this.waker.wakeBeyondTarget(1);
			}
			if (this.queue.isEmpty()) {
				continue;
			}
			long taken = LockFreeQueues.taken(this.queue);
			stalledTicks = (taken == takenBefore) ? stalledTicks + ticks : 0;
			takenBefore = taken;
			boolean cpuBound = this.cpuBound.getAsBoolean();
			this.polling = cpuBound;
			if (cpuBound) {
				// Nothing but a stall of MAX_WAIT_MILLIS can make it act: look again when one could have happened.
				ticksPerLook = TICKS_PER_LOOK_WHEN_CPU_BOUND;
			}
			if (stalledTicks > 0 && !cpuBound) {
				this.stallWakes++;
				this.waker.wakeBeyondTarget(Math.max(1, this.queue.size()));
			}
			else if (stalledTicks >= STALLED_TICKS_WHEN_CPU_BOUND) {
				this.stallWakes++;
				this.waker.wakeBeyondTarget(1);
			}
			else if (stalledTicks == 0 && !cpuBound && oldestWaitNanos() > MAX_WAIT_NANOS) {
				this.lagWakes++;
				this.waker.wakeBeyondTarget(1);
			}
		}
	}

	/** How many times the watchdog has looked at the queue since the start. */
	long looks() {
		return this.looks;
	}

	/** How many of its looks came after a park of {@value #MAX_WAIT_MILLIS} ms, the process being CPU-bound. */
	long slowLooks() {
		return this.slowLooks;
	}

	/**
	 * How many times it asked for workers because the awake ones took nothing from the queue during a whole look (a
	 * tick, or {@value #MAX_WAIT_MILLIS} ms while CPU-bound): what a machine that deschedules the workers also causes.
	 */
	long stallWakes() {
		return this.stallWakes;
	}

	/** How many times it asked for one more worker because the oldest exchange waited too long while workers took. */
	long lagWakes() {
		return this.lagWakes;
	}

	private boolean nothingWaits() {
		return this.queue.isEmpty() && !this.continuationsWaiting.getAsBoolean();
	}

	private long oldestWaitNanos() {
		QueuedExchange oldest = this.queue.peek();
		return (oldest != null) ? System.nanoTime() - oldest.enqueuedNanos : 0;
	}

}
