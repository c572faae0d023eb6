package io.hybridserver.servlet.spec;

import java.io.IOException;

import io.hybridserver.http.RequestBody;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * The request's {@link ServletInputStream} over the exchange's streaming {@link RequestBody}.
 *
 * <p>In non-blocking mode ({@link #setReadListener}) {@link #isReady()} is {@code true} only when a read returns at
 * once (bytes are buffered, or the body has ended); when it answers {@code false} it asks the body to say when that
 * changes, and {@code onDataAvailable} then runs on a container thread, never on the I/O thread that received the
 * bytes. {@code onAllDataRead} follows once the application has read the end; a failed body reaches
 * {@code onError}.
 */
final class RequestInputStream extends ServletInputStream {

	private final RequestBody body;

	private final RequestFacade request;

	private final byte[] single = new byte[1];

	private volatile ReadListener listener;

	private boolean finished;

	private boolean allDataReadSignalled;

	/** A byte taken while probing a body that woke the listener without data; handed out first. */
	private int pushback = -1;

	RequestInputStream(RequestBody body, RequestFacade request) {
		this.body = body;
		this.request = request;
	}

	@Override
	public int read() throws IOException {
		int n = read(this.single, 0, 1);
		return (n <= 0) ? -1 : (this.single[0] & 0xff);
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		java.util.Objects.checkFromIndexSize(off, len, b.length);
		if (len == 0) {
			return 0;
		}
		if (this.pushback >= 0) {
			b[off] = (byte) this.pushback;
			this.pushback = -1;
			return 1;
		}
		if (this.finished) {
			return -1;
		}
		int n = this.body.read(b, off, len);
		if (n < 0) {
			this.finished = true;
		}
		return n;
	}

	@Override
	public int available() {
		return (this.pushback >= 0 ? 1 : 0) + this.body.available();
	}

	@Override
	public boolean isFinished() {
		return this.pushback < 0 && (this.finished || this.body.isFinished());
	}

	/** Blocking mode: always ready (reads wait). Non-blocking: ready when a read would not wait. */
	@Override
	public boolean isReady() {
		if (this.listener == null || readsAtOnce()) {
			return true;
		}
		awaitReadable();
		return false;
	}

	private boolean readsAtOnce() {
		return this.pushback >= 0 || this.finished || this.body.available() > 0 || this.body.isFinished();
	}

	private void awaitReadable() {
		this.body.onReadable(() -> this.request.application().threads().executor().execute(this::readable));
	}

	@Override
	public void setReadListener(ReadListener readListener) {
		if (readListener == null) {
			throw new NullPointerException("readListener");
		}
		if (this.listener != null) {
			throw new IllegalStateException("A ReadListener has already been set");
		}
		if (!this.request.isAsyncStarted()) {
			throw new IllegalStateException("Non-blocking reads need asynchronous processing: call startAsync first");
		}
		this.listener = readListener;
		awaitReadable();
	}

	/** On a container thread: the body has data, has ended, or has failed. */
	private void readable() {
		ReadListener current = this.listener;
		try {
			if (this.pushback < 0 && !this.finished && this.body.available() == 0 && !this.body.isFinished()) {
				// Woken without data or end: the body failed, and a read says how (or, in a race, returns a byte).
				int n = this.body.read(this.single, 0, 1);
				if (n > 0) {
					this.pushback = this.single[0] & 0xff;
				}
				else if (n < 0) {
					this.finished = true;
				}
			}
			if (!isFinished()) {
				current.onDataAvailable();
			}
			if (isFinished() && !this.allDataReadSignalled) {
				this.allDataReadSignalled = true;
				current.onAllDataRead();
			}
		}
		catch (Throwable failure) {
			current.onError(failure);
		}
	}

}
