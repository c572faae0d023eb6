package io.hybridserver.http;

/**
 * A connection that wrote during a batch of {@link OutboundTask}s and is flushed once at the end of it.
 */
public interface FlushTarget {

	/** Marks the connection for the end-of-batch flush; {@code false} if it already was marked in this batch. */
	boolean markFlushPending();

	/** Flushes the connection and clears the mark. Runs on the event loop. */
	void flushNow();

}
