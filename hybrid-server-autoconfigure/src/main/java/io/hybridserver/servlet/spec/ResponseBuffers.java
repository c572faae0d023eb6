package io.hybridserver.servlet.spec;

/**
 * Lends response body buffers of the default size, keeping one spare per thread, so that a worker serving one response
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

	private static final ThreadLocal<byte[][]> SPARE = ThreadLocal.withInitial(() -> new byte[1][]);

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

}
