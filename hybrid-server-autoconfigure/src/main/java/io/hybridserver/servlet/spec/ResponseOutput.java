package io.hybridserver.servlet.spec;

import java.io.IOException;

import io.hybridserver.http.Exchange;

/**
 * The response body buffer and the commit rules, in one place:
 * <ul>
 * <li>bytes collect in a buffer ({@value #DEFAULT_BUFFER_SIZE} bytes by default);</li>
 * <li>when the buffer would overflow, or on an explicit flush, the response commits streaming (length {@code -1},
 * chunked on HTTP/1.1) unless the application declared a Content-Length;</li>
 * <li>when the response finishes and everything fitted, it commits with the exact Content-Length;</li>
 * <li>when the application declared a Content-Length, the response closes as soon as that many bytes were written
 * and further bytes are dropped (spec 5.6).</li>
 * </ul>
 * After {@link #close()} writes are ignored, which is what the spec asks of a closed response.
 */
final class ResponseOutput {

	static final int DEFAULT_BUFFER_SIZE = 8192;

	/** What to do just before the head goes out: the response facade writes Content-Type and cookies. */
	interface CommitCallback {

		/** Prepares the headers and returns the status to commit with. */
		int beforeCommit();

		/** The declared Content-Length, or {@code -1}. */
		long declaredContentLength();

	}

	private final Exchange exchange;

	private final CommitCallback callback;

	private byte[] buffer;

	private int bufferSize = DEFAULT_BUFFER_SIZE;

	private int count;

	private long written;

	private boolean closed;

	private boolean suspended;

	ResponseOutput(Exchange exchange, CommitCallback callback) {
		this.exchange = exchange;
		this.callback = callback;
	}

	int bufferSize() {
		return this.bufferSize;
	}

	void bufferSize(int size) {
		if (this.count > 0 || this.written > 0 || isCommitted()) {
			throw new IllegalStateException("setBufferSize after content was written");
		}
		this.bufferSize = Math.max(size, 0);
		if (this.buffer != null) {
			ResponseBuffers.giveBack(this.buffer);
			this.buffer = null;
		}
	}

	boolean isCommitted() {
		return this.exchange.isCommitted();
	}

	/** Whether a write now would not wait for the client (see {@link Exchange#isWritable()}). */
	boolean isWritable() {
		return this.exchange.isWritable();
	}

	/** Runs the callback once the client has caught up (see {@link Exchange#onWritable(Runnable)}). */
	void onWritable(Runnable callback) {
		this.exchange.onWritable(callback);
	}

	/**
	 * Whether a writer may hold characters back before encoding them into this output: not when the application chose
	 * a buffer smaller than the writer's (it wants bytes out early) and not when it declared a Content-Length (the
	 * response must close as soon as that many bytes were written).
	 */
	boolean mayHoldCharacters() {
		return this.bufferSize >= ResponseBuffers.WRITER_CHARS && this.callback.declaredContentLength() < 0;
	}

	boolean isClosed() {
		return this.closed || this.suspended;
	}

	long bytesWritten() {
		return this.written;
	}

	void write(byte[] bytes, int offset, int length) throws IOException {
		if (this.closed || this.suspended || length <= 0) {
			return;
		}
		long declared = this.callback.declaredContentLength();
		if (declared >= 0) {
			length = (int) Math.min(length, Math.max(0, declared - this.written));
		}
		if (length > this.bufferSize - this.count) {
			flushBuffer(false);
		}
		if (length >= this.bufferSize) {
			writeThrough(bytes, offset, length);
		}
		else if (length > 0) {
			if (this.buffer == null) {
				this.buffer = ResponseBuffers.borrow(this.bufferSize);
			}
			System.arraycopy(bytes, offset, this.buffer, this.count, length);
			this.count += length;
		}
		this.written += length;
		if (declared >= 0 && this.written >= declared) {
			close();
		}
	}

	private void writeThrough(byte[] bytes, int offset, int length) throws IOException {
		commit(false);
		this.exchange.write(bytes, offset, length);
	}

	/** Commits if needed and hands the buffered bytes to the exchange, without asking the I/O tier to flush. */
	private void flushBuffer(boolean finishing) throws IOException {
		commit(finishing);
		if (this.count > 0) {
			int length = this.count;
			this.count = 0;
			this.exchange.write(this.buffer, 0, length);
		}
	}

	/** Commits (streaming unless the whole body is known) and asks the I/O tier to send what it has. */
	void flush() throws IOException {
		if (this.closed || this.suspended) {
			return;
		}
		flushBuffer(false);
		this.exchange.flush();
	}

	private void commit(boolean finishing) {
		if (this.exchange.isCommitted()) {
			return;
		}
		int status = this.callback.beforeCommit();
		long declared = this.callback.declaredContentLength();
		long length = (declared >= 0) ? declared : finishing ? this.count : -1;
		this.exchange.commit(status, length);
	}

	/**
	 * The application closed the response (its stream or writer, or the last byte of its declared Content-Length):
	 * as {@link #finish()}, and what was written goes to the client now, not when the request ends (spec 5.6: a closed
	 * response is flushed at once, as Tomcat does).
	 */
	void close() throws IOException {
		if (this.closed) {
			return;
		}
		finish();
		this.exchange.flush();
	}

	/**
	 * The container ends the response: commits with the exact length when it is known and hands everything to the
	 * exchange, which sends it with the response's end (one task for the event loop); later writes are ignored, so
	 * the buffer goes back to {@link ResponseBuffers} for the next response.
	 */
	void finish() throws IOException {
		if (this.closed) {
			return;
		}
		flushBuffer(true);
		this.closed = true;
		if (this.buffer != null) {
			ResponseBuffers.giveBack(this.buffer);
			this.buffer = null;
		}
	}

	/** Discards later writes without committing: after sendError/sendRedirect until the container takes over. */
	void suspend() {
		this.suspended = true;
	}

	void resetBuffer() {
		if (isCommitted()) {
			throw new IllegalStateException("Cannot reset the buffer: the response is committed");
		}
		this.count = 0;
		this.written = 0;
		this.suspended = false;
	}

	/** Buffered bytes that have not reached the exchange yet. */
	int buffered() {
		return this.count;
	}

}
