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
 * Collects characters and encodes them into {@link ResponseOutput} in bulk, as Tomcat's output buffer does. Template
 * engines write a page as thousands of tiny strings, characters and {@code char[]} slices; encoding each on its own
 * cost more than the rendering around it (a wrapper, an encoder call and a byte copy per write).
 *
 * <p>Held characters are pushed into the output ({@link #spill()}) before anything that depends on the bytes: a flush,
 * the end of the response, a redirect that keeps the buffer. {@link #reset()} discards them with the byte buffer, so
 * {@code resetBuffer()} still discards everything written. Characters are not held at all when the application asked
 * for a small buffer or declared a Content-Length ({@link ResponseOutput#mayHoldCharacters()}), so those commit rules
 * see every byte at once. Half of a surrogate pair waits for its other half in any case.
 */
final class ResponseWriter extends Writer {

	private final ResponseOutput output;

	private final CharsetEncoder encoder;

	private final ByteBuffer bytes = ByteBuffer.allocate(4096);

	/** Borrowed on the first write and given back by {@link #release()}; {@code null} when not held. */
	private char[] chars;

	private int count;

	ResponseWriter(ResponseOutput output, Charset charset) {
		this.output = output;
		this.encoder = charset.newEncoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE);
	}

	@Override
	public void write(int c) throws IOException {
		if (this.output.isClosed()) {
			// The spec: output after the response closed is ignored; PrintWriter would swallow an exception anyway.
			return;
		}
		char[] buffer = buffer();
		buffer[this.count++] = (char) c;
		if (this.count == buffer.length || !this.output.mayHoldCharacters()) {
			encode(false);
		}
	}

	@Override
	public void write(char[] source, int offset, int length) throws IOException {
		if (this.output.isClosed()) {
			return;
		}
		char[] buffer = buffer();
		while (length > 0) {
			int n = Math.min(length, buffer.length - this.count);
			System.arraycopy(source, offset, buffer, this.count, n);
			this.count += n;
			offset += n;
			length -= n;
			if (this.count == buffer.length) {
				encode(false);
			}
		}
		if (!this.output.mayHoldCharacters()) {
			encode(false);
		}
	}

	@Override
	public void write(String source, int offset, int length) throws IOException {
		if (this.output.isClosed()) {
			return;
		}
		char[] buffer = buffer();
		while (length > 0) {
			int n = Math.min(length, buffer.length - this.count);
			source.getChars(offset, offset + n, buffer, this.count);
			this.count += n;
			offset += n;
			length -= n;
			if (this.count == buffer.length) {
				encode(false);
			}
		}
		if (!this.output.mayHoldCharacters()) {
			encode(false);
		}
	}

	private char[] buffer() {
		if (this.chars == null) {
			this.chars = ResponseBuffers.borrowChars();
		}
		return this.chars;
	}

	/**
	 * Encodes the held characters into the output. A high surrogate at the end stays held for its pair unless this is
	 * the end of the response, where it becomes the replacement byte as an unpaired surrogate would.
	 */
	private void encode(boolean endOfInput) throws IOException {
		if (this.count == 0) {
			return;
		}
		CharBuffer in = CharBuffer.wrap(this.chars, 0, this.count);
		while (true) {
			CoderResult result = this.encoder.encode(in, this.bytes, endOfInput);
			drain();
			if (result.isUnderflow()) {
				break;
			}
		}
		int left = in.remaining();
		if (left > 0) {
			System.arraycopy(this.chars, in.position(), this.chars, 0, left);
		}
		this.count = left;
		if (endOfInput) {
			this.encoder.reset();
			this.count = 0;
		}
	}

	private void drain() throws IOException {
		this.bytes.flip();
		if (this.bytes.hasRemaining()) {
			this.output.write(this.bytes.array(), 0, this.bytes.limit());
		}
		this.bytes.clear();
	}

	/** Pushes the held characters into the output without flushing it (which would commit the response). */
	void spill() throws IOException {
		if (!this.output.isClosed()) {
			encode(false);
		}
	}

	/** Pushes every held character into the output, as the response ends, and gives the character buffer back. */
	void finish() throws IOException {
		if (!this.output.isClosed()) {
			encode(true);
		}
		release();
	}

	@Override
	public void flush() throws IOException {
		spill();
		this.output.flush();
	}

	@Override
	public void close() throws IOException {
		finish();
		this.output.close();
	}

	/** Forgets the held characters; used when the buffer is reset. */
	void reset() {
		this.count = 0;
		this.encoder.reset();
	}

	/** Gives the character buffer back; later writes borrow another. */
	void release() {
		this.count = 0;
		if (this.chars != null) {
			ResponseBuffers.giveBackChars(this.chars);
			this.chars = null;
		}
	}

}
