package io.hybridserver.servlet.spec;

/**
 * Lends response body buffers of the default size (and writers' character buffers), keeping one spare per thread, so that a worker serving one response
 * after another reuses one array instead of allocating (and zeroing) {@value ResponseOutput#DEFAULT_BUFFER_SIZE} bytes
 * per response: that array was 40% of all the bytes a small JSON response allocated.
 *
 * <p>A buffer has one owner at a time. The response that borrows it gives it back once it has handed its last bytes to
 * the exchange ({@link io.hybridserver.http.Exchange#write} copies them) and never touches it again; a response that
 * ends another way (aborted, or its thread died) simply lets the GC take it. A buffer borrowed on one thread may be
 * given back on another (an asynchronous response finished elsewhere): it then becomes that thread's spare. Buffers of
 * other sizes ({@code setBufferSize}) are neither lent nor kept. Virtual threads, one per exchange, gain nothing and
 * lose nothing: their spare dies with them.
 */
final class ResponseBuffers {

	/** Characters a response writer collects before encoding them in one go (see {@link ResponseWriter}). */
	static final int WRITER_CHARS = 4096;

	private static final ThreadLocal<byte[][]> SPARE = ThreadLocal.withInitial(() -> new byte[1][]);

	private static final ThreadLocal<char[][]> SPARE_CHARS = ThreadLocal.withInitial(() -> new char[1][]);

	private ResponseBuffers() {
	}

	/** A buffer of {@code size} bytes, whose contents are undefined: the caller tracks how much it filled. */
	static byte[] borrow(int size) {
		if (size == ResponseOutput.DEFAULT_BUFFER_SIZE) {
			byte[][] slot = SPARE.get();
			byte[] spare = slot[0];
			if (spare != null) {
				slot[0] = null;
				return spare;
			}
		}
		return new byte[size];
	}

	/** Takes back a buffer its borrower will not use again. */
	static void giveBack(byte[] buffer) {
		if (buffer.length == ResponseOutput.DEFAULT_BUFFER_SIZE) {
			SPARE.get()[0] = buffer;
		}
	}

	/** A writer's character buffer of {@value #WRITER_CHARS} chars, lent as {@link #borrow(int)} lends bytes. */
	static char[] borrowChars() {
		char[][] slot = SPARE_CHARS.get();
		char[] spare = slot[0];
		if (spare != null) {
			slot[0] = null;
			return spare;
		}
		return new char[WRITER_CHARS];
	}

	/** Takes back a character buffer its writer will not use again. */
	static void giveBackChars(char[] buffer) {
		SPARE_CHARS.get()[0] = buffer;
	}

}
