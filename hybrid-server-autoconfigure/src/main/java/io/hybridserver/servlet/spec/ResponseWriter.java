package io.hybridserver.servlet.spec;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Encodes characters straight into {@link ResponseOutput}, keeping no characters of its own except half of a
 * surrogate pair. Unlike {@link java.io.OutputStreamWriter} nothing hides in an encoder buffer, so
 * {@code resetBuffer()} really discards what was written and the commit rules see every byte.
 */
final class ResponseWriter extends Writer {

	private final ResponseOutput output;

	private final CharsetEncoder encoder;

	private final ByteBuffer bytes = ByteBuffer.allocate(1024);

	private char pendingHighSurrogate;

	ResponseWriter(ResponseOutput output, Charset charset) {
		this.output = output;
		this.encoder = charset.newEncoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE);
	}

	@Override
	public void write(char[] chars, int offset, int length) throws IOException {
		if (this.output.isClosed()) {
			// The spec: output after the response closed is ignored; PrintWriter would swallow an exception anyway.
			return;
		}
		CharBuffer in;
		if (this.pendingHighSurrogate != 0) {
			char[] joined = new char[length + 1];
			joined[0] = this.pendingHighSurrogate;
			System.arraycopy(chars, offset, joined, 1, length);
			this.pendingHighSurrogate = 0;
			in = CharBuffer.wrap(joined);
		}
		else {
			in = CharBuffer.wrap(chars, offset, length);
		}
		while (true) {
			CoderResult result = this.encoder.encode(in, this.bytes, false);
			drain();
			if (result.isUnderflow()) {
				break;
			}
		}
		if (in.hasRemaining()) {
			this.pendingHighSurrogate = in.get();
		}
	}

	@Override
	public void write(String str, int off, int len) throws IOException {
		char[] chars = new char[len];
		str.getChars(off, off + len, chars, 0);
		write(chars, 0, len);
	}

	private void drain() throws IOException {
		this.bytes.flip();
		if (this.bytes.hasRemaining()) {
			this.output.write(this.bytes.array(), 0, this.bytes.limit());
		}
		this.bytes.clear();
	}

	@Override
	public void flush() throws IOException {
		this.output.flush();
	}

	@Override
	public void close() throws IOException {
		this.output.close();
	}

	/** Forgets half-written characters; used when the buffer is reset. */
	void reset() {
		this.pendingHighSurrogate = 0;
		this.encoder.reset();
	}

}
