package io.hybridserver.http;

import java.io.IOException;

/**
 * The request body as it streams in from the I/O tier. Chunks wait in a small per-exchange buffer; while it is full the
 * connection stops reading, so a slow consumer holds the client back instead of filling memory.
 *
 * <p>For a request with {@code Expect: 100-continue} the interim {@code 100 Continue} goes out on the first read, so a
 * handler that answers without reading (a 413, a redirect) never invites the body.
 */
public interface RequestBody {

	/**
	 * Reads up to {@code length} bytes, blocking until at least one is available, the body ends, or the read times out.
	 * @return the number of bytes read, or {@code -1} at the end of the body
	 * @throws IOException when the connection failed or closed before the body ended, or no data arrived in time
	 *     ({@link java.net.SocketTimeoutException})
	 */
	int read(byte[] bytes, int offset, int length) throws IOException;

	/** Bytes that {@link #read} can return now without blocking. */
	int available();

	/** Whether every byte of the body has been read. */
	boolean isFinished();

	/**
	 * Asks to be told, once, when {@link #read} would not block: bytes arrived, the body ended, or it failed. Runs the
	 * callback at once, on the caller's thread, if that is already so; otherwise later on an I/O thread, so the
	 * callback must only hand work off. For non-blocking consumers (the servlet {@code ReadListener}); bodies that
	 * cannot tell say "now".
	 */
	default void onReadable(Runnable callback) {
		callback.run();
	}

}
