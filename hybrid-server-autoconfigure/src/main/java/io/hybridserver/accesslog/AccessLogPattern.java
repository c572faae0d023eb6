package io.hybridserver.accesslog;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A compiled access log pattern: Tomcat's language ({@code %h %l %u %t "%r" %s %b}, the {@code common} and
 * {@code combined} shorthands, {@code %{Name}i}-style parameters), or {@code json} for JSON lines ({@link JsonLine}),
 * turned once into a list of elements that append to a line. An unknown code fails here, at startup, rather than
 * printing {@code ???} in every line as Tomcat does.
 */
public final class AccessLogPattern {

	/** Tomcat's {@code common}: the Common Log Format. */
	public static final String COMMON = "%h %l %u %t \"%r\" %s %b";

	/** Tomcat's {@code combined}: common, then the referer and the user agent. */
	public static final String COMBINED = COMMON + " \"%{Referer}i\" \"%{User-Agent}i\"";

	private final List<PatternElement> elements;

	private final List<String> requestHeaderNames;

	private final List<String> responseHeaderNames;

	private AccessLogPattern(List<PatternElement> elements, List<String> requestHeaderNames,
			List<String> responseHeaderNames) {
		this.elements = elements;
		this.requestHeaderNames = requestHeaderNames;
		this.responseHeaderNames = responseHeaderNames;
	}

	/** Compiles a pattern with dates in the system's zone. */
	public static AccessLogPattern compile(String pattern) {
		return compile(pattern, ZoneId.systemDefault());
	}

	/**
	 * Compiles a pattern.
	 * @param pattern {@code common}, {@code combined}, %-codes, or {@code json} (optionally followed by
	 * {@code %{Name}i}, {@code %{Name}o} and {@code %{name}c})
	 * @param zone the zone of {@code %t}
	 * @throws IllegalArgumentException naming the code and its position when the pattern cannot be used
	 */
	public static AccessLogPattern compile(String pattern, ZoneId zone) {
		if (pattern == null || pattern.isEmpty()) {
			throw new IllegalArgumentException("the pattern is empty; use 'common', 'combined' or %-codes");
		}
		String trimmed = pattern.trim();
		String expanded = switch (trimmed.toLowerCase(Locale.ROOT)) {
			case "common" -> COMMON;
			case "combined" -> COMBINED;
			default -> pattern;
		};
		Parser parser = new Parser(zone);
		if (isJson(trimmed)) {
			int offset = pattern.indexOf(trimmed) + 4;
			parser.elements.add(JsonLine.compile(trimmed.substring(4), offset, zone, parser));
		}
		else {
			parser.parse(expanded);
		}
		return new AccessLogPattern(List.copyOf(parser.elements), List.copyOf(parser.requestHeaders),
				List.copyOf(parser.responseHeaders));
	}

	/** {@code json}, alone or followed by the codes that add fields to it. */
	private static boolean isJson(String trimmed) {
		return trimmed.regionMatches(true, 0, "json", 0, 4)
				&& (trimmed.length() == 4 || Character.isWhitespace(trimmed.charAt(4)));
	}

	/** The request headers entries must capture for this pattern. */
	List<String> requestHeaderNames() {
		return this.requestHeaderNames;
	}

	/** The response headers entries must capture for this pattern. */
	List<String> responseHeaderNames() {
		return this.responseHeaderNames;
	}

	/** Appends one line, without its line separator. Not thread-safe: the writer thread's alone. */
	void format(AccessLogEntry entry, StringBuilder line) {
		for (PatternElement element : this.elements) {
			element.append(entry, line);
		}
	}

	/** Reads a pattern left to right: literal text between %-codes, each code with an optional {@code {param}}. */
	private static final class Parser implements PatternCodes.HeaderSlots {

		private final ZoneId zone;

		final List<PatternElement> elements = new ArrayList<>();

		final List<String> requestHeaders = new ArrayList<>();

		final List<String> responseHeaders = new ArrayList<>();

		Parser(ZoneId zone) {
			this.zone = zone;
		}

		void parse(String pattern) {
			StringBuilder literal = new StringBuilder();
			int i = 0;
			while (i < pattern.length()) {
				char c = pattern.charAt(i);
				if (c != '%') {
					literal.append(c);
					i++;
					continue;
				}
				int start = i;
				i++;
				String param = null;
				if (i < pattern.length() && pattern.charAt(i) == '{') {
					int close = pattern.indexOf('}', i);
					if (close < 0) {
						throw new IllegalArgumentException("'{' at position " + i + " is never closed");
					}
					param = pattern.substring(i + 1, close);
					i = close + 1;
				}
				if (i >= pattern.length()) {
					throw new IllegalArgumentException("the pattern ends with an incomplete code at position " + start);
				}
				char code = pattern.charAt(i++);
				if (code == '%' && param == null) {
					literal.append('%');
					continue;
				}
				if (literal.length() > 0) {
					String text = literal.toString();
					this.elements.add((entry, line) -> line.append(text));
					literal.setLength(0);
				}
				this.elements.add(PatternCodes.element(code, param, this.zone, this, start));
			}
			if (literal.length() > 0) {
				String text = literal.toString();
				this.elements.add((entry, line) -> line.append(text));
			}
		}

		@Override
		public int requestHeader(String name) {
			return slot(this.requestHeaders, name);
		}

		@Override
		public int responseHeader(String name) {
			return slot(this.responseHeaders, name);
		}

		private static int slot(List<String> names, String name) {
			for (int i = 0; i < names.size(); i++) {
				if (names.get(i).equalsIgnoreCase(name)) {
					return i;
				}
			}
			names.add(name);
			return names.size() - 1;
		}

	}

}
