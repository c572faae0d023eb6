package io.hybridserver.servlet.spec;

import java.io.IOException;

import io.hybridserver.http.RequestBody;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

/** The request's {@link ServletInputStream} over the exchange's streaming {@link RequestBody}. Blocking only. */
final class RequestInputStream extends ServletInputStream {

	private final RequestBody body;

	private final byte[] single = new byte[1];

	private boolean finished;

	RequestInputStream(RequestBody body) {
		this.body = body;
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
		return n;
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
		throw new IllegalStateException("Non-blocking I/O comes later: asynchronous processing is not supported yet");
	}

}
