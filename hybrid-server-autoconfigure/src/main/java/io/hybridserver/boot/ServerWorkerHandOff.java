package io.hybridserver.boot;

import java.util.concurrent.ExecutorService;

import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.websocket.WebSocketWorkers;
import io.hybridserver.websocket.WorkerHandOff;

/**
 * WebSocket sessions' events on the running server's workers: queued as its dispatch tier queues tasks
 * ({@link Dispatcher#enqueueTask}), and woken for as it wakes workers for new exchanges, so that an awake worker takes
 * the next session's events without parking. Used for servlet and WebFlux sessions alike. The WebSocket side (the
 * servlet container's, or the reactive adapter's sessions) is made before the server, so the server is bound later;
 * while it is not running (before it starts, or while sessions still close after it stopped) events run on a pool of
 * their own.
 */
final class ServerWorkerHandOff implements WorkerHandOff {

	volatile HybridWebServer server;

	private volatile ExecutorService fallback;

	@Override
	public void enqueue(Runnable task) {
		Dispatcher dispatcher = dispatcher();
		if (dispatcher != null) {
			dispatcher.enqueueTask(task);
		}
		else {
			fallback().execute(task);
		}
	}

	@Override
	public void wakeFor(int count) {
		Dispatcher dispatcher = dispatcher();
		if (dispatcher != null) {
			dispatcher.wakeWorkersForTasks(count);
		}
	}

	private Dispatcher dispatcher() {
		HybridWebServer current = this.server;
		return (current != null) ? current.getDispatcher() : null;
	}

	private ExecutorService fallback() {
		ExecutorService pool = this.fallback;
		if (pool == null) {
			synchronized (this) {
				pool = this.fallback;
				if (pool == null) {
					// Threads are made on demand and leave after a minute idle: nothing to stop.
					pool = WebSocketWorkers.newOwnPool();
					this.fallback = pool;
				}
			}
		}
		return pool;
	}

}
