package io.hybridserver.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.ResponseRoute;

/**
 * One {@link ResponseQueue} per event loop, made on first use. Connections look their lane up once, when they open.
 */
public final class ResponseQueues implements ResponseRoute {

	private final Map<Executor, ResponseQueue> queues = new ConcurrentHashMap<>();

	private final int capacity;

	/**
	 * @param capacity the bound of each loop's queue
	 */
	public ResponseQueues(int capacity) {
		this.capacity = capacity;
	}

	@Override
	public ResponseLane laneFor(Executor eventLoop) {
		return this.queues.computeIfAbsent(eventLoop, (loop) -> new ResponseQueue(loop, this.capacity));
	}

	/** Tasks waiting in all response queues together. */
	public int depth() {
		int depth = 0;
		for (ResponseQueue queue : this.queues.values()) {
			depth += queue.size();
		}
		return depth;
	}

	/**
	 * Tasks the event loops took from the response queues since the start: per request, how many pieces a response
	 * reached its loop in (one for a buffered response: see {@code http.QueuedResponseExchange}).
	 */
	public long tasksRun() {
		long tasks = 0;
		for (ResponseQueue queue : this.queues.values()) {
			tasks += queue.tasksRun();
		}
		return tasks;
	}

	/**
	 * Drains of the response queues since the start: per request, how often a worker's response woke (or was queued
	 * behind) its event loop. Below the tasks when several responses share a drain.
	 */
	public long drains() {
		long drains = 0;
		for (ResponseQueue queue : this.queues.values()) {
			drains += queue.drains();
		}
		return drains;
	}

}
