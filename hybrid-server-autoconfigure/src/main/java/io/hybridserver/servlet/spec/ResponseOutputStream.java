package io.hybridserver.servlet.spec;

import java.io.IOException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/** The response's {@link ServletOutputStream}: a thin view of {@link ResponseOutput}. Blocking mode only for now. */
final class ResponseOutputStream extends ServletOutputStream {

	private final ResponseOutput output;

	private final byte[] single = new byte[1];

	ResponseOutputStream(ResponseOutput output) {
		this.output = output;
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

	/** Non-blocking output arrives with asynchronous processing; until then this is refused clearly. */
	@Override
	public void setWriteListener(WriteListener writeListener) {
		throw new IllegalStateException("Non-blocking I/O comes later: asynchronous processing is not supported yet");
	}

}
