package io.hybridserver.http;

/**
 * One event loop's inbound lane for responses. Safe to call from any thread; never blocks the caller for long (a full
 * lane makes the caller back off briefly, never drops a task).
 */
@FunctionalInterface
public interface ResponseLane {

	/** Queues a task to run on the lane's event loop. */
	void submit(OutboundTask task);

}
