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

}
