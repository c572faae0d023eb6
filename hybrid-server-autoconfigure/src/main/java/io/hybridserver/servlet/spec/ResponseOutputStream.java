package io.hybridserver.servlet.spec;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * The response's {@link ServletOutputStream}: a thin view of {@link ResponseOutput}.
 *
 * <p>Non-blocking mode ({@link #setWriteListener}) is emulated on a container thread: {@link #isReady()} stays
 * {@code true} and {@code onWritePossible} runs on a container thread, where a write to a slow client waits for the
 * exchange's high-water mark to drain instead of returning early. Correct for the application; it costs a thread
 * while the client is slow.
 */
final class ResponseOutputStream extends ServletOutputStream {

	private final ResponseOutput output;

	private final RequestFacade request;

	private WriteListener listener;

	private final byte[] single = new byte[1];

	ResponseOutputStream(ResponseOutput output, RequestFacade request) {
		this.output = output;
		this.request = request;
	}

	@Override
	public void write(int b) throws IOException {
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

	@Override
	public boolean isReady() {
		return true;
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
		this.request.application().threads().executor().execute(() -> {
			try {
				writeListener.onWritePossible();
			}
			catch (Throwable failure) {
				writeListener.onError(failure);
			}
		});
	}

}
