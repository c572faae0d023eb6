package io.hybridserver.servlet.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The container's own threads, for work no request thread is there to do: asynchronous dispatches started by
 * {@code AsyncContext.dispatch()} from an application thread, {@code AsyncContext.start(Runnable)}, non-blocking I/O
 * callbacks, and one timer thread for async timeouts and the session sweep.
 *
 * <p>The dispatch tier's workers only take new exchanges from the request queue, so an exchange that is already being
 * processed continues here. The pool grows with demand and idle threads go after a minute: an async dispatch is as
 * short as any request, and refusing one would leave its exchange unanswered. The pool starts lazily, so an
 * application that never goes async never starts one of its threads; the timer starts with the application, for the
 * session sweep.
 */
public final class ContainerThreads {

	private final String prefix;

	private volatile ExecutorService executor;

	private volatile ScheduledExecutorService timer;

	private volatile boolean shutDown;

	public ContainerThreads(String prefix) {
		this.prefix = prefix;
	}

	/** Runs container work (an async dispatch, a listener callback) on a pooled thread. */
	public Executor executor() {
		ExecutorService current = this.executor;
		if (current == null) {
			synchronized (this) {
				current = this.executor;
				if (current == null) {
					checkRunning();
					current = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
							new SynchronousQueue<>(), threads(this.prefix + "-async-"));
					this.executor = current;
				}
			}
		}
		return current;
	}

	/** Runs {@code task} once after {@code delayMillis} on the timer thread; keep it short. */
	public ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
		return timer().schedule(task, delayMillis, TimeUnit.MILLISECONDS);
	}

	/** Runs {@code task} every {@code periodMillis} on the timer thread; keep it short. */
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long periodMillis) {
		return timer().scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
	}

	private ScheduledExecutorService timer() {
		ScheduledExecutorService current = this.timer;
		if (current == null) {
			synchronized (this) {
				current = this.timer;
				if (current == null) {
					checkRunning();
					ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1,
							threads(this.prefix + "-timer-"));
					// Cancelled timeouts (the usual case: the async request finished in time) must not pile up.
					created.setRemoveOnCancelPolicy(true);
					current = created;
					this.timer = current;
				}
			}
		}
		return current;
	}

	private void checkRunning() {
		if (this.shutDown) {
			throw new IllegalStateException("The servlet container has stopped");
		}
	}

	/** Stops both pools; running tasks are interrupted. */
	public synchronized void shutdown() {
		this.shutDown = true;
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
		if (this.timer != null) {
			this.timer.shutdownNow();
		}
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
