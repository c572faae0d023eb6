package io.hybridserver.http;

/**
 * The decimal text of a response's {@code Content-Length}, one string per small length, made once and then shared:
 * an application answers with a few lengths again and again (the same JSON, the same page), and a new string per
 * response was 48 bytes of every small response's garbage.
 */
final class ContentLengthText {

	/** Lengths below this are kept: a small response's body is where a string is a noticeable part of the cost. */
	static final int CACHED = 4096;

	/**
	 * Filled as lengths are met. Read and written without a lock: a string is immutable and safely published through its
	 * final fields, so a racing reader sees either {@code null} (and makes its own) or a whole string.
	 */
	private static final String[] TEXTS = new String[CACHED];

	private ContentLengthText() {
	}

	static String of(long length) {
		if (length < 0 || length >= CACHED) {
			return Long.toString(length);
		}
		int index = (int) length;
		String text = TEXTS[index];
		if (text == null) {
			text = Long.toString(length);
			TEXTS[index] = text;
		}
		return text;
	}

}
