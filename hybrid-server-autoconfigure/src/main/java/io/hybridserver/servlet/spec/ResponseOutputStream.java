package io.hybridserver.servlet.spec;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * The response's {@link ServletOutputStream}: a thin view of {@link ResponseOutput}.
 *
 * <p>In non-blocking mode ({@link #setWriteListener}) {@link #isReady()} is {@code true} while the bytes the client has
 * not taken yet are within the exchange's high-water mark, so a write made after it never waits; when it answers
 * {@code false} it asks the exchange to say when the client has caught up, and {@code onWritePossible} then runs again
 * on a container thread.
 */
final class ResponseOutputStream extends ServletOutputStream {

	private final ResponseOutput output;

	private final RequestFacade request;

	private volatile WriteListener listener;

	/** For {@code write(int)}, made on its first use: most writers write arrays. */
	private byte[] single;

	ResponseOutputStream(ResponseOutput output, RequestFacade request) {
		this.output = output;
		this.request = request;
	}

	@Override
	public void write(int b) throws IOException {
		if (this.single == null) {
			this.single = new byte[1];
		}
		this.single[0] = (byte) b;
		this.output.write(this.single, 0, 1);
	}

	@Override
	public void write(byte[] b, int off, int len) throws IOException {
		java.util.Objects.checkFromIndexSize(off, len, b.length);
		this.output.write(b, off, len);
	}

	@Override
	public void flush() throws IOException {
		this.output.flush();
	}

	@Override
	public void close() throws IOException {
		this.output.close();
	}

	/** Blocking mode: always ready (writes wait). Non-blocking: ready when a write would not wait. */
	@Override
	public boolean isReady() {
		if (this.listener == null || this.output.isWritable()) {
			return true;
		}
		this.output.onWritable(() -> this.request.application().threads().executor().execute(this::writePossible));
		return false;
	}

	@Override
	public void setWriteListener(WriteListener writeListener) {
		if (writeListener == null) {
			throw new NullPointerException("writeListener");
		}
		if (this.listener != null) {
			throw new IllegalStateException("A WriteListener has already been set");
		}
		if (this.request == null || !this.request.isAsyncStarted()) {
			throw new IllegalStateException("Non-blocking writes need asynchronous processing: call startAsync first");
		}
		this.listener = writeListener;
		this.request.application().threads().executor().execute(this::writePossible);
	}

	private void writePossible() {
		WriteListener current = this.listener;
		try {
			current.onWritePossible();
		}
		catch (Throwable failure) {
			current.onError(failure);
		}
	}

}
