package io.hybridserver.dispatch;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * A fixed set of platform threads. An idle worker first spins briefly on the queue when there is another CPU to spin on
 * (a burst of requests usually follows another, and a spin is cheaper than a park/unpark pair), then registers itself
 * as idle and parks. The event loop wakes one registered worker per enqueued exchange.
 *
 * <p>Idle workers wait in a stack, not a queue: the worker that parked last is woken first, so under a load that needs
 * a few workers the same few stay hot (their caches, their JIT-inlined paths) and the rest of the pool stays parked
 * instead of every worker taking a turn and spinning on the way out.
 *
 * <p>No wake-up is lost: a worker publishes itself as idle before its final look at the queue, and a producer enqueues
 * before it looks for an idle worker, so one of the two always sees the other. The park is timed anyway, as a safety
 * net that costs one wake-up per idle worker per second.
 */
final class PlatformWorkerPool implements WorkerPool {

	/**
	 * Polls before parking. None on a single CPU: there the spinner only holds back the event loop that would produce
	 * its work (measured: about a quarter of a keep-alive request's CPU went to spinning and parking).
	 */
	private static final int SPINS = (Runtime.getRuntime().availableProcessors() > 1) ? 256 : 0;

	private static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final MpmcArrayQueue<QueuedExchange> queue;

	private final ExchangeRunner runner;

	private final Worker[] workers;

	/** Registered idle workers, most recently parked first. */
	private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();

	/** Continuations of exchanges already started: taken before new exchanges, so started work finishes first. */
	private final MpmcUnboundedXaddArrayQueue<Runnable> continuations = new MpmcUnboundedXaddArrayQueue<>(256);

	private volatile boolean running = true;

	PlatformWorkerPool(int size, MpmcArrayQueue<QueuedExchange> queue, ExchangeRunner runner, String namePrefix) {
		this.queue = queue;
		this.runner = runner;
		this.workers = new Worker[size];
		for (int i = 0; i < size; i++) {
			this.workers[i] = new Worker();
			Thread thread = new Thread(this.workers[i], namePrefix + (i + 1));
			thread.setDaemon(false);
			this.workers[i].thread = thread;
		}
		for (Worker worker : this.workers) {
			worker.thread.start();
		}
	}

	@Override
	public void onEnqueued() {
		Worker worker;
		while ((worker = this.idle.pollFirst()) != null) {
			worker.registered.set(false);
			if (worker.parked.compareAndSet(true, false)) {
				LockSupport.unpark(worker.thread);
				return;
			}
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
		onEnqueued();
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
			if (this.registered.compareAndSet(false, true)) {
				PlatformWorkerPool.this.idle.offerFirst(this);
			}
			next = poll();
			if (next == null && PlatformWorkerPool.this.running) {
				LockSupport.parkNanos(this, PARK_NANOS);
			}
			this.parked.set(false);
			return (next != null) ? next : poll();
		}

		private Object poll() {
			Runnable continuation = PlatformWorkerPool.this.continuations.poll();
			return (continuation != null) ? continuation : PlatformWorkerPool.this.queue.poll();
		}

	}

}
