package io.hybridserver.websocket;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Runs one connection's events on a shared executor, one at a time and in order: the events of a session never
 * overlap, yet a session holds no thread while it has nothing to do.
 */
final class SerialExecutor implements Executor {

	private static final Log logger = LogFactory.getLog(SerialExecutor.class);

	private final Executor target;

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final AtomicInteger count = new AtomicInteger();

	SerialExecutor(Executor target) {
		this.target = target;
	}

	@Override
	public void execute(Runnable task) {
		this.tasks.add(task);
		if (this.count.getAndIncrement() == 0) {
			try {
				this.target.execute(this::drain);
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
