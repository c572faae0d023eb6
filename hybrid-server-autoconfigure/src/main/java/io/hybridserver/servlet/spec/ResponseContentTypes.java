package io.hybridserver.servlet.spec;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response's {@code Content-Type} as the application sets it and as it is sent, kept for the values that come back
 * on every response. An application names a handful of content types ({@code text/html;charset=UTF-8},
 * {@code application/json}...), but a value with a charset costs a split and a few strings when it is set and a new
 * string when it is read back joined with its charset, which the response does at least once (at commit): here each
 * is worked out once. At most {@value #MAX} values of each kind are kept, so that content types made from requests
 * cannot fill the memory; past that they are worked out per response, as without this class.
 */
final class ResponseContentTypes {

	static final int MAX = 32;

	private static final ConcurrentHashMap<String, Declared> DECLARED = new ConcurrentHashMap<>();

	/** Copied on write: read without a lock on every response, added to rarely. */
	private static volatile Joined[] joined = new Joined[0];

	private ResponseContentTypes() {
	}

	/**
	 * A content type as {@code setContentType} received it: without its charset parameter, and that parameter's
	 * value ({@code null} when there is none).
	 */
	record Declared(String withoutCharset, String charset) {
	}

	/** The content type and its charset as one value, as sent. */
	private record Joined(String type, String charset, String value) {
	}

	/** What {@code setContentType(contentType)} declares. */
	static Declared declared(String contentType) {
		Declared declared = DECLARED.get(contentType);
		if (declared == null) {
			declared = new Declared(ContentTypes.withoutCharset(contentType), ContentTypes.charset(contentType));
			if (DECLARED.size() < MAX) {
				DECLARED.putIfAbsent(contentType, declared);
			}
		}
		return declared;
	}

	/** {@code type;charset=charset}, the same string for the same pair. */
	static String withCharset(String type, String charset) {
		Joined[] known = joined;
		for (Joined entry : known) {
			// The type and charset usually are the very strings of the previous response (from this class, from the
			// deployment's default), so most comparisons end at identity.
			if (entry.type.equals(type) && entry.charset.equals(charset)) {
				return entry.value;
			}
		}
		String value = type + ";charset=" + charset;
		if (known.length < MAX) {
			remember(new Joined(type, charset, value));
		}
		return value;
	}

	private static synchronized void remember(Joined entry) {
		Joined[] known = joined;
		if (known.length >= MAX) {
			return;
		}
		for (Joined existing : known) {
			if (existing.type.equals(entry.type) && existing.charset.equals(entry.charset)) {
				return;
			}
		}
		Joined[] more = Arrays.copyOf(known, known.length + 1);
		more[known.length] = entry;
		joined = more;
	}

}
