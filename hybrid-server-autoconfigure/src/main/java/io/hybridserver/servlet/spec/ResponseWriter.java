package io.hybridserver.servlet.spec;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes characters straight into {@link ResponseOutput}, keeping no characters of its own except half of a
 * surrogate pair. Unlike {@link java.io.OutputStreamWriter} nothing hides in an encoder buffer, so
 * {@code resetBuffer()} really discards what was written and the commit rules see every byte.
 */
final class ResponseWriter extends Writer {

	private final ResponseOutput output;

	private final Charset charset;

	private final CharsetEncoder encoder;

	/**
	 * Whether {@link String#getBytes(Charset)} encodes as {@link #encoder} does (unmappable and lone surrogates as
	 * {@code ?}): true for the charsets the JDK encodes with intrinsics, which templates write in many small strings.
	 */
	private final boolean stringsEncodeThemselves;

	private final ByteBuffer bytes = ByteBuffer.allocate(1024);

	private char pendingHighSurrogate;

	ResponseWriter(ResponseOutput output, Charset charset) {
		this.output = output;
		this.charset = charset;
		this.stringsEncodeThemselves = charset.equals(StandardCharsets.UTF_8)
				|| charset.equals(StandardCharsets.ISO_8859_1) || charset.equals(StandardCharsets.US_ASCII);
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
		if (this.stringsEncodeThemselves && this.pendingHighSurrogate == 0 && len > 0
				&& !Character.isHighSurrogate(str.charAt(off + len - 1))) {
			// A string that does not end halfway through a surrogate pair encodes alone: no char[] copy, no
			// CharBuffer, and the JDK's vectorised encoding instead of the encoder's loop.
			if (this.output.isClosed()) {
				return;
			}
			String whole = (off == 0 && len == str.length()) ? str : str.substring(off, off + len);
			byte[] encoded = whole.getBytes(this.charset);
			this.output.write(encoded, 0, encoded.length);
			return;
		}
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
