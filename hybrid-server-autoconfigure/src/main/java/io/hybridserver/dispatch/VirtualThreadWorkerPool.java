package io.hybridserver.dispatch;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jctools.queues.MessagePassingQueue;

/**
 * One virtual thread per exchange (Java 21+). The exchange still passes through the request queue, so queue depth,
 * queue wait and the overload bound mean the same as with platform workers; each started thread takes one exchange.
 */
final class VirtualThreadWorkerPool implements WorkerPool {

	private final MessagePassingQueue<QueuedExchange> queue;

	private final ExchangeRunner runner;

	private final ThreadFactory threads;

	private final AtomicInteger alive = new AtomicInteger();

	VirtualThreadWorkerPool(MessagePassingQueue<QueuedExchange> queue, ExchangeRunner runner, String namePrefix) {
		this.queue = queue;
		this.runner = runner;
		this.threads = virtualThreadFactory(namePrefix);
	}

	/** Whether this JVM can start virtual threads. */
	static boolean isSupported() {
		return Runtime.version().feature() >= 21;
	}

	@Override
	public void onEnqueued(int count) {
		for (int i = 0; i < count; i++) {
			this.alive.incrementAndGet();
			// Starting a virtual thread only queues it on its carrier pool: it does not block the event loop.
			this.threads.newThread(this::runOne).start();
		}
	}

	private void runOne() {
		try {
			QueuedExchange next = this.queue.poll();
			if (next != null) {
				this.runner.run(next);
			}
		}
		finally {
			this.alive.decrementAndGet();
		}
	}

	@Override
	public void execute(Runnable task) {
		this.alive.incrementAndGet();
		this.threads.newThread(() -> {
			try {
				this.runner.runTask(task);
			}
			finally {
				this.alive.decrementAndGet();
			}
		}).start();
	}

	@Override
	public int busyWorkers() {
		return this.runner.busyWorkers();
	}

	@Override
	public int maxWorkers() {
		return Integer.MAX_VALUE;
	}

	@Override
	public void stop(long timeoutMillis) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
		while (this.alive.get() > 0 && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	private static ThreadFactory virtualThreadFactory(String namePrefix) {
		// Compiled for Java 17: reach Thread.ofVirtual() reflectively; only called when the JVM has it.
		try {
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Method name = builderType.getMethod("name", String.class, long.class);
			builder = name.invoke(builder, namePrefix, 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Virtual threads need Java 21 or later; this is Java "
					+ Runtime.version().feature(), ex);
		}
	}

}
