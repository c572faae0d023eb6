package io.hybridserver.servlet.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A request-target split and made safe for mapping. What it does, in order, and why:
 * <ol>
 * <li>An absolute-form target ({@code http://host/p}) is reduced to its path; {@code *} (OPTIONS) maps as {@code /}.</li>
 * <li>The query is cut off at the first {@code ?}; {@link #requestUri()} is the raw path, undecoded (spec).</li>
 * <li>Path parameters ({@code ;jsessionid=...}, {@code ;v=1}) are stripped from every segment before decoding, so an
 * encoded {@code %3B} stays data. Session ids are tracked by cookie only, so they are not read from the URL.</li>
 * <li>Percent-escapes are decoded as strict UTF-8; malformed escapes or bytes are a 400. {@code %2F} (an encoded
 * {@code /}), {@code %5C} ({@code \}) and {@code %00}, and raw control characters, are a 400 because they let a path
 * mean one thing to a proxy or a filter and another to the file system or the servlet (Tomcat rejects them by default
 * too).</li>
 * <li>Runs of {@code /} collapse to one (Tomcat does the same) so {@code //admin} cannot dodge a {@code /admin/*}
 * security filter; {@code .} segments drop and {@code ..} removes its parent; a {@code ..} that would climb above the
 * root is a 400.</li>
 * </ol>
 */
public final class RequestTarget {

	/** Slots of {@link #RECENT}; a power of two. */
	private static final int RECENT_SLOTS = 256;

	/**
	 * Targets parsed lately, in a slot chosen by the target's hash. Parsing is a function of the target alone and the
	 * result is immutable, and a server sees the same few targets again and again (the I/O tier even hands over the
	 * same string when a connection repeats its target): a hit costs no parse and no object. A table of fixed size, so
	 * a miss costs only the new target, as before. Read and written without a lock: a target is published whole
	 * through its final fields, and a reader that loses a race parses for itself.
	 */
	private static final RequestTarget[] RECENT = new RequestTarget[RECENT_SLOTS];

	/** Longer targets are not kept: the table holds at most a few hundred kilobytes however long targets are. */
	private static final int MAX_RECENT_LENGTH = 1024;

	/** The request-target this was parsed from. */
	private final String source;

	private final String requestUri;

	private final String queryString;

	private final String path;

	private RequestTarget(String source, String requestUri, String queryString, String path) {
		this.source = source;
		this.requestUri = requestUri;
		this.queryString = queryString;
		this.path = path;
	}

	/** The raw path as sent, without query; what {@code getRequestURI()} returns. */
	public String requestUri() {
		return this.requestUri;
	}

	/** The raw query without {@code ?}, or {@code null} when the target had none. */
	public String queryString() {
		return this.queryString;
	}

	/** The decoded, normalised path, context path included; always starts with {@code /}. */
	public String path() {
		return this.path;
	}

	/**
	 * Parses a request-target.
	 * @throws ClientErrorException (400) when the target is malformed or unsafe
	 */
	public static RequestTarget parse(String target) {
		if (target == null || target.isEmpty()) {
			throw badRequest("empty request-target");
		}
		if (target.length() > MAX_RECENT_LENGTH) {
			return parseAfresh(target);
		}
		int slot = target.hashCode() & (RECENT_SLOTS - 1);
		RequestTarget recent = RECENT[slot];
		if (recent != null && (recent.source == target || recent.source.equals(target))) {
			return recent;
		}
		RequestTarget parsed = parseAfresh(target);
		RECENT[slot] = parsed;
		return parsed;
	}

	private static RequestTarget parseAfresh(String target) {
		if (target.equals("*")) {
			return new RequestTarget(target, "*", null, "/");
		}
		String rest = target;
		int scheme = rest.indexOf("://");
		if (scheme > 0 && !rest.startsWith("/")) {
			int slash = rest.indexOf('/', scheme + 3);
			int query = rest.indexOf('?', scheme + 3);
			if (slash < 0 || (query >= 0 && query < slash)) {
				rest = "/" + ((query >= 0) ? rest.substring(query) : "");
			}
			else {
				rest = rest.substring(slash);
			}
		}
		int fragment = rest.indexOf('#');
		if (fragment >= 0) {
			rest = rest.substring(0, fragment);
		}
		String query = null;
		int q = rest.indexOf('?');
		if (q >= 0) {
			query = rest.substring(q + 1);
			rest = rest.substring(0, q);
		}
		if (!rest.startsWith("/")) {
			throw badRequest("request path must start with '/'");
		}
		String decoded = decode(stripPathParameters(rest));
		return new RequestTarget(target, rest, query, normalize(decoded));
	}

	static String stripPathParameters(String raw) {
		if (raw.indexOf(';') < 0) {
			return raw;
		}
		StringBuilder result = new StringBuilder(raw.length());
		int i = 0;
		while (i < raw.length()) {
			char c = raw.charAt(i);
			if (c == ';') {
				int next = raw.indexOf('/', i);
				i = (next < 0) ? raw.length() : next;
				continue;
			}
			result.append(c);
			i++;
		}
		return result.toString();
	}

	static String decode(String raw) {
		boolean escaped = raw.indexOf('%') >= 0;
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c < 0x20 || c == 0x7f || c == '\\') {
				throw badRequest("illegal character in path");
			}
		}
		if (!escaped) {
			return raw;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		for (int i = 0; i < raw.length(); i++) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 2 >= raw.length()) {
					throw badRequest("truncated percent-escape");
				}
				int hi = HexDigits.value(raw.charAt(i + 1));
				int lo = HexDigits.value(raw.charAt(i + 2));
				if (hi < 0 || lo < 0) {
					throw badRequest("malformed percent-escape");
				}
				int b = (hi << 4) | lo;
				if (b == '/' || b == '\\' || b < 0x20 || b == 0x7f) {
					throw badRequest("encoded '/', '\\' or control character in path");
				}
				bytes.write(b);
				i += 2;
			}
			else if (c < 0x80) {
				bytes.write(c);
			}
			else {
				// Not legal in a request-target, but tolerated: the I/O tier hands us ISO-8859-1 or UTF-8 text, and a
				// dispatch path is any Java string. A character outside the BMP is two chars: encode the pair, not
				// each half (each would be a '?').
				int next = (Character.isHighSurrogate(c) && i + 1 < raw.length()
						&& Character.isLowSurrogate(raw.charAt(i + 1))) ? i + 2 : i + 1;
				byte[] utf8 = raw.substring(i, next).getBytes(StandardCharsets.UTF_8);
				bytes.write(utf8, 0, utf8.length);
				i = next - 1;
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw badRequest("path is not valid UTF-8");
		}
	}

	static String normalize(String path) {
		if (isNormal(path)) {
			// Nearly every request: no empty, "." or ".." segment, so nothing to remove and no copy to make.
			return path;
		}
		Deque<String> segments = new ArrayDeque<>();
		boolean trailingSlash = path.endsWith("/");
		for (String segment : path.split("/")) {
			if (segment.isEmpty() || segment.equals(".")) {
				continue;
			}
			if (segment.equals("..")) {
				if (segments.isEmpty()) {
					throw badRequest("path climbs above the root");
				}
				segments.removeLast();
				continue;
			}
			segments.addLast(segment);
		}
		if (path.endsWith("/.") || path.endsWith("/..")) {
			trailingSlash = true;
		}
		StringBuilder result = new StringBuilder(path.length());
		for (String segment : segments) {
			result.append('/').append(segment);
		}
		if (result.length() == 0 || trailingSlash) {
			result.append('/');
		}
		return result.toString();
	}

	/** Absolute, without "//" or a segment starting with a dot: {@link #normalize} would return it unchanged. */
	private static boolean isNormal(String path) {
		return path.startsWith("/") && path.indexOf("//") < 0 && path.indexOf("/.") < 0;
	}

	private static ClientErrorException badRequest(String reason) {
		return new ClientErrorException(400, "Bad request-target: " + reason);
	}

}
