package io.hybridserver.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.util.concurrent.EventExecutor;

/**
 * Runs one connection's events on the workers, one at a time and in order: the events of a session never overlap,
 * yet a session holds no thread while it has nothing to do. A session is handed to the workers
 * ({@link WebSocketWorkers#submit}) only when its first event arrives after a quiet spell; every event that arrives
 * while it waits or runs is taken in the same run, so a burst of frames costs one hand-off.
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final WebSocketWorkers workers;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicInteger count = new AtomicInteger();

	private final Runnable drain = this::drain;

	/** The connection's event loop, where most events come from. */
	private volatile EventExecutor loop;

	SerialExecutor(WebSocketWorkers workers) {
		this.workers = workers;
	}

	/** The connection's loop, known once it is installed (before its first event). */
	void bind(EventExecutor loop) {
		this.loop = loop;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		if (this.count.getAndIncrement() == 0) {
			try {
				this.workers.submit(this.drain, this.loop);
			}
			catch (RejectedExecutionException ex) {
				// The application is stopping: nobody is left to tell.
				logger.debug("WebSocket event dropped: the executor has stopped", ex);
				this.tasks.clear();
				this.count.set(0);
			}
		}
	}

	private void drain() {
		do {
			Runnable task = this.tasks.poll();
			try {
				task.run();
			}
			catch (Throwable ex) {
				logger.error("A WebSocket event handler failed", ex);
				if (ex instanceof VirtualMachineError error) {
					throw error;
				}
			}
		}
		while (this.count.decrementAndGet() > 0);
	}

}
