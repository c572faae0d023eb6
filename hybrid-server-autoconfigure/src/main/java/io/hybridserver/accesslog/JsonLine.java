package io.hybridserver.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The {@code json} pattern: one JSON object per line with the fields log shippers expect (time, client, request,
 * status, bytes, duration, user agent, referer, user, session), plus a field for each {@code %{Name}i},
 * {@code %{Name}o} and {@code %{name}c} that follows {@code json} in the pattern. Every string is escaped as RFC 8259
 * asks, and everything outside ASCII too ({@code \\uXXXX}), so a line is valid JSON in any file encoding and a value
 * from the client can neither end its string nor split the line.
 */
final class JsonLine implements PatternElement {

	private static final DateTimeFormatter ISO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
			Locale.ROOT);

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	/** A named header or cookie field: its JSON name and where its value is captured. */
	private record Extra(String name, int slot, String cookie) {
	}

	private final DateTimeFormatter time;

	private final int userAgent;

	private final int referer;

	private final List<Extra> requestHeaders;

	private final List<Extra> responseHeaders;

	private final List<Extra> cookies;

	private JsonLine(ZoneId zone, int userAgent, int referer, List<Extra> requestHeaders, List<Extra> responseHeaders,
			List<Extra> cookies) {
		this.time = ISO_TIME.withZone(zone);
		this.userAgent = userAgent;
		this.referer = referer;
		this.requestHeaders = requestHeaders;
		this.responseHeaders = responseHeaders;
		this.cookies = cookies;
	}

	/**
	 * @param extras what follows {@code json} in the pattern: {@code %{Name}i}, {@code %{Name}o} and {@code %{name}c}
	 * separated by spaces
	 * @param offset the position of {@code extras} in the pattern, for error messages
	 * @throws IllegalArgumentException naming what cannot follow {@code json}
	 */
	static JsonLine compile(String extras, int offset, ZoneId zone, PatternCodes.HeaderSlots slots) {
		int userAgent = slots.requestHeader("User-Agent");
		int referer = slots.requestHeader("Referer");
		List<Extra> requestHeaders = new ArrayList<>();
		List<Extra> responseHeaders = new ArrayList<>();
		List<Extra> cookies = new ArrayList<>();
		int i = 0;
		while (i < extras.length()) {
			if (Character.isWhitespace(extras.charAt(i))) {
				i++;
				continue;
			}
			int close = extras.startsWith("%{", i) ? extras.indexOf('}', i) : -1;
			char code = (close > i + 2 && close + 1 < extras.length()) ? extras.charAt(close + 1) : 0;
			boolean ends = close + 2 >= extras.length() || Character.isWhitespace(extras.charAt(close + 2));
			if ((code != 'i' && code != 'o' && code != 'c') || !ends) {
				int end = i;
				while (end < extras.length() && !Character.isWhitespace(extras.charAt(end))) {
					end++;
				}
				throw new IllegalArgumentException("'" + extras.substring(i, end) + "' at position " + (offset + i)
						+ " cannot follow json; only %{Name}i (request header), %{Name}o (response header) and "
						+ "%{name}c (cookie) add fields to it");
			}
			String name = extras.substring(i + 2, close);
			switch (code) {
				case 'i' -> requestHeaders.add(new Extra(name, slots.requestHeader(name), null));
				case 'o' -> responseHeaders.add(new Extra(name, slots.responseHeader(name), null));
				default -> cookies.add(new Extra(name, slots.requestHeader("Cookie"), name));
			}
			i = close + 2;
		}
		return new JsonLine(zone, userAgent, referer, List.copyOf(requestHeaders), List.copyOf(responseHeaders),
				List.copyOf(cookies));
	}

	@Override
	public void append(AccessLogEntry e, StringBuilder line) {
		line.append("{\"time\":\"");
		this.time.formatTo(Instant.ofEpochMilli(e.startMillis), line);
		line.append("\",\"remoteAddress\":");
		if (e.forwardedRemote != null) {
			string(e.forwardedRemote, line);
		}
		else {
			string((e.remote != null && e.remote.getAddress() != null) ? e.remote.getAddress().getHostAddress() : null,
					line);
		}
		line.append(",\"method\":");
		string(e.method, line);
		int query = (e.target != null) ? e.target.indexOf('?') : -1;
		line.append(",\"uri\":");
		string((query >= 0) ? e.target.substring(0, query) : e.target, line);
		line.append(",\"query\":");
		string((query >= 0) ? e.target.substring(query + 1) : null, line);
		line.append(",\"protocol\":");
		string(e.protocol, line);
		line.append(",\"status\":").append(e.status);
		line.append(",\"bytes\":").append(e.bodyBytes);
		line.append(",\"durationMicros\":").append(TimeUnit.NANOSECONDS.toMicros(e.durationNanos));
		line.append(",\"userAgent\":");
		string(e.requestHeaders[this.userAgent], line);
		line.append(",\"referer\":");
		string(e.requestHeaders[this.referer], line);
		line.append(",\"user\":");
		string(e.remoteUser, line);
		line.append(",\"session\":");
		string(e.sessionId, line);
		line.append(",\"aborted\":").append(e.aborted);
		object("requestHeaders", this.requestHeaders, e.requestHeaders, line);
		object("responseHeaders", this.responseHeaders, e.responseHeaders, line);
		object("cookies", this.cookies, e.requestHeaders, line);
		line.append('}');
	}

	private static void object(String field, List<Extra> extras, String[] values, StringBuilder line) {
		if (extras.isEmpty()) {
			return;
		}
		line.append(",\"").append(field).append("\":{");
		for (int i = 0; i < extras.size(); i++) {
			Extra extra = extras.get(i);
			if (i > 0) {
				line.append(',');
			}
			string(extra.name(), line);
			line.append(':');
			String value = values[extra.slot()];
			string((extra.cookie() != null) ? PatternCodes.cookieValue(value, extra.cookie()) : value, line);
		}
		line.append('}');
	}

	/** A JSON string, or {@code null}: quotes, backslashes, control characters and all non-ASCII escaped. */
	static void string(String value, StringBuilder line) {
		if (value == null) {
			line.append("null");
			return;
		}
		line.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> line.append("\\\"");
				case '\\' -> line.append("\\\\");
				case '\n' -> line.append("\\n");
				case '\r' -> line.append("\\r");
				case '\t' -> line.append("\\t");
				case '\b' -> line.append("\\b");
				case '\f' -> line.append("\\f");
				default -> {
					if (c < 0x20 || c >= 0x7f) {
						line.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
							.append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
					}
					else {
						line.append(c);
					}
				}
			}
		}
		line.append('"');
	}

}
