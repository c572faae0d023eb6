package io.hybridserver.servlet.spec;

import java.io.IOException;

import io.hybridserver.http.RequestBody;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/**
 * The request's {@link ServletInputStream} over the exchange's streaming {@link RequestBody}.
 *
 * <p>Non-blocking mode ({@link #setReadListener}) is emulated on a container thread: the exchange offers blocking
 * reads only, so {@link #isReady()} stays {@code true}, {@code onDataAvailable} runs on a container thread whose reads
 * may wait for the client, and {@code onAllDataRead} follows once the body has ended. The application's code runs
 * exactly as the spec describes; what it does not get is the saving of a thread while the client is slow.
 */
final class RequestInputStream extends ServletInputStream {

	private final RequestBody body;

	private final RequestFacade request;

	private ReadListener listener;

	private long bytesRead;

	private final byte[] single = new byte[1];

	private boolean finished;

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
		if (this.finished) {
			return -1;
		}
		int n = this.body.read(b, off, len);
		if (n < 0) {
			this.finished = true;
		}
		else {
			this.bytesRead += n;
		}
		return n;
	}

	long bytesRead() {
		return this.bytesRead;
	}

	@Override
	public int available() {
		return this.body.available();
	}

	@Override
	public boolean isFinished() {
		return this.finished || this.body.isFinished();
	}

	/** Blocking reads always make progress, so the stream is always "ready". */
	@Override
	public boolean isReady() {
		return true;
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
		this.request.application().threads().executor().execute(this::notifyListener);
	}

	private void notifyListener() {
		ReadListener current = this.listener;
		try {
			while (!isFinished()) {
				long before = this.bytesRead;
				current.onDataAvailable();
				if (!isFinished() && this.bytesRead == before) {
					// isReady() was true all along, so a listener that read nothing would be called forever.
					throw new IllegalStateException("The ReadListener returned without reading although isReady() "
							+ "was true");
				}
			}
			current.onAllDataRead();
		}
		catch (Throwable failure) {
			current.onError(failure);
		}
	}

}
