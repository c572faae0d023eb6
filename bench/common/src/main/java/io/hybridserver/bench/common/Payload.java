package io.hybridserver.bench.common;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bodies of the size sweeps (bench/run.sh scenarios 13 and 14), the same bytes on every contender.
 *
 * <ul>
 * <li>{@code GET /bytes/{size}}: {@code size} bytes of {@code application/octet-stream} ({@link #bytes(int)}), from
 * 0 to {@link #MAX_SIZE}. Anything else is a 404, as a path that does not exist would be.</li>
 * <li>{@code POST /upload}: reads the whole request body as a stream, keeps none of it, and answers how many bytes it
 * read as {@code text/plain} ({@link #uploaded(long)}). It is not an echo, so that the response stays the same small
 * size whatever the request's: the sweep measures what a body costs to receive, not to send back.</li>
 * </ul>
 */
public final class Payload {

	/** The largest {@code GET /bytes/{size}}: 16 MiB, the largest request body of the sweeps too. */
	public static final int MAX_SIZE = 16 * 1024 * 1024;

	private static final byte[] PATTERN = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	/** Bodies by size. Only sizes the harness asks for are made, and a client asking for many is refused past this. */
	private static final int MAX_CACHED = 64;

	private static final Map<Integer, byte[]> CACHE = new ConcurrentHashMap<>();

	private Payload() {
	}

	/**
	 * {@code size} bytes of a fixed pattern, made once per size and shared: callers must not change them.
	 * @param size from 0 to {@link #MAX_SIZE}
	 * @return the body, or {@code null} for a size out of range (answer 404)
	 */
	public static byte[] bytes(int size) {
		if (size < 0 || size > MAX_SIZE) {
			return null;
		}
		byte[] cached = CACHE.get(size);
		if (cached != null) {
			return cached;
		}
		if (CACHE.size() >= MAX_CACHED) {
			return null;
		}
		return CACHE.computeIfAbsent(size, Payload::make);
	}

	/**
	 * Parses the size of {@code /bytes/{size}}.
	 * @param text the last path segment
	 * @return the size, or -1 when it is not a decimal number in range
	 */
	public static int parseSize(String text) {
		if (text.isEmpty() || text.length() > 9) {
			return -1;
		}
		int size = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			size = size * 10 + (c - '0');
		}
		return (size <= MAX_SIZE) ? size : -1;
	}

	/**
	 * The answer of {@code POST /upload}.
	 * @param received how many body bytes were read
	 * @return the decimal count, the whole {@code text/plain} body
	 */
	public static String uploaded(long received) {
		return Long.toString(received);
	}

	private static byte[] make(int size) {
		byte[] body = new byte[size];
		for (int i = 0; i < size; i++) {
			body[i] = PATTERN[i & (PATTERN.length - 1)];
		}
		return body;
	}

}
