package io.hybridserver.http;

/**
 * A piece of response work for an event loop: write a head, body bytes, the end of a response, or a control action
 * such as resuming reads. Runs on the loop and writes without flushing; the lane flushes each connection once per batch.
 */
@FunctionalInterface
public interface OutboundTask {

	/**
	 * Runs on the event loop.
	 * @return the connection to flush when the current batch is done, or {@code null} when nothing was written
	 */
	FlushTarget runOnLoop();

}
