package io.hybridserver.accesslog;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Tomcat's %-codes, each turned into a {@link PatternElement}: the table of what the access log can print. Values that
 * come from the client (request line, headers, cookies, user) are escaped as Tomcat escapes them, so a line cannot
 * be split or forged by a header holding a newline or a quote.
 */
final class PatternCodes {

	/** Where a compiled pattern keeps the header values its entries capture. */
	interface HeaderSlots {

		/** The index of a request header among the captured ones, added if new. */
		int requestHeader(String name);

		/** The index of a response header among the captured ones, added if new. */
		int responseHeader(String name);

	}

	/** Every code, for the error message. */
	static final String SUPPORTED = "%a %A %b %B %c %D %F %h %H %i %I %l %m %o %p %q %r %s %S %t %T %u %U %v %X %%";

	private static final DateTimeFormatter COMMON_LOG_DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
			Locale.US);

	private PatternCodes() {
	}

	static PatternElement element(char code, String param, ZoneId zone, HeaderSlots slots, int position) {
		switch (code) {
			case 'a', 'h':
				// No reverse DNS lookup (it would block): %h is the address, as Tomcat's default enableLookups=false.
				// The client a trusted proxy reported, when the log honours it, as Tomcat's requestAttributesEnabled.
				return "local".equals(param) ? (e, line) -> address(e.local, line) : (e, line) -> {
					if (e.forwardedRemote != null) {
						escapedText(e.forwardedRemote, line);
					}
					else {
						address(e.remote, line);
					}
				};
			case 'A':
				return (e, line) -> address(e.local, line);
			case 'b':
				return (e, line) -> {
					if (e.bodyBytes > 0) {
						line.append(e.bodyBytes);
					}
					else {
						line.append('-');
					}
				};
			case 'B':
				return (e, line) -> line.append(e.bodyBytes);
			case 'c':
				int cookies = slots.requestHeader("Cookie");
				String cookie = required(param, code, position);
				return (e, line) -> escaped(cookieValue(e.requestHeaders[cookies], cookie), line);
			case 'D':
				return (e, line) -> line.append(TimeUnit.NANOSECONDS.toMicros(e.durationNanos));
			case 'F':
				return (e, line) -> {
					if (e.commitNanos >= 0) {
						line.append(TimeUnit.NANOSECONDS.toMillis(e.commitNanos));
					}
					else {
						line.append('-');
					}
				};
			case 'H':
				return (e, line) -> escaped(e.protocol, line);
			case 'i':
				int request = slots.requestHeader(required(param, code, position));
				return (e, line) -> escaped(e.requestHeaders[request], line);
			case 'I':
				return (e, line) -> escaped(e.threadName, line);
			case 'l':
				return (e, line) -> line.append('-');
			case 'm':
				return (e, line) -> escaped(e.method, line);
			case 'o':
				int response = slots.responseHeader(required(param, code, position));
				return (e, line) -> escaped(e.responseHeaders[response], line);
			case 'p':
				return "remote".equals(param) ? (e, line) -> port(e.remote, line) : (e, line) -> port(e.local, line);
			case 'q':
				return (e, line) -> {
					int query = (e.target != null) ? e.target.indexOf('?') : -1;
					if (query >= 0) {
						escapedText(e.target.substring(query), line);
					}
				};
			case 'r':
				if (param != null) {
					throw new IllegalArgumentException("%{" + param + "}r (a request attribute) at position " + position
							+ " is not supported: the access log sees the exchange, not the servlet request");
				}
				return (e, line) -> {
					if (e.method == null) {
						// Tomcat's %r for a request whose line could not be read.
						line.append('-');
						return;
					}
					escapedText(e.method, line);
					line.append(' ');
					escapedText(e.target, line);
					line.append(' ');
					line.append(e.protocol);
				};
			case 's':
				if (param != null) {
					throw new IllegalArgumentException("%{" + param + "}s (a session attribute) at position " + position
							+ " is not supported: the access log sees the exchange, not the session");
				}
				return (e, line) -> line.append(e.status);
			case 'S':
				return (e, line) -> escaped(e.sessionId, line);
			case 't':
				return time(param, zone, position);
			case 'T':
				return elapsed(param, position);
			case 'u':
				return (e, line) -> escaped(e.remoteUser, line);
			case 'U':
				return (e, line) -> {
					if (e.target == null) {
						line.append('-');
						return;
					}
					int query = e.target.indexOf('?');
					escapedText((query >= 0) ? e.target.substring(0, query) : e.target, line);
				};
			case 'v':
				int host = slots.requestHeader("Host");
				return (e, line) -> serverName(e, e.requestHeaders[host], line);
			case 'X':
				return (e, line) -> line.append(e.aborted ? 'X' : e.keepAlive ? '+' : '-');
			default:
				throw new IllegalArgumentException("unknown code %" + code + " at position " + position
						+ "; supported: " + SUPPORTED);
		}
	}

	private static String required(String param, char code, int position) {
		if (param == null || param.isEmpty()) {
			throw new IllegalArgumentException("%" + code + " at position " + position + " needs a name: %{Name}" + code);
		}
		return param;
	}

	// ---- time

	private static PatternElement time(String param, ZoneId zone, int position) {
		String format = param;
		boolean end = false;
		if (format != null && format.startsWith("end:")) {
			end = true;
			format = format.substring(4);
		}
		else if (format != null && format.startsWith("begin:")) {
			format = format.substring(6);
		}
		boolean atEnd = end;
		if (format == null || format.isEmpty()) {
			return new CommonLogDate(zone, atEnd);
		}
		switch (format) {
			case "sec":
				return (e, line) -> line.append(millis(e, atEnd) / 1000);
			case "msec":
				return (e, line) -> line.append(millis(e, atEnd));
			case "msec_frac":
				return (e, line) -> appendThreeDigits(millis(e, atEnd) % 1000, line);
			default:
				DateTimeFormatter formatter;
				try {
					formatter = DateTimeFormatter.ofPattern(format, Locale.US).withZone(zone);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("%{" + param + "}t at position " + position
							+ " is not a date pattern: " + ex.getMessage());
				}
				return (e, line) -> formatter.formatTo(Instant.ofEpochMilli(millis(e, atEnd)), line);
		}
	}

	private static long millis(AccessLogEntry e, boolean atEnd) {
		return atEnd ? e.startMillis + TimeUnit.NANOSECONDS.toMillis(e.durationNanos) : e.startMillis;
	}

	/** {@code [06/Dec/2026:13:37:39 +0000]}, formatted once per second (the writer thread's alone). */
	private static final class CommonLogDate implements PatternElement {

		private final DateTimeFormatter formatter;

		private final boolean atEnd;

		private long second = Long.MIN_VALUE;

		private String text;

		CommonLogDate(ZoneId zone, boolean atEnd) {
			this.formatter = COMMON_LOG_DATE.withZone(zone);
			this.atEnd = atEnd;
		}

		@Override
		public void append(AccessLogEntry entry, StringBuilder line) {
			long now = Math.floorDiv(millis(entry, this.atEnd), 1000);
			if (now != this.second) {
				this.text = "[" + this.formatter.format(Instant.ofEpochSecond(now)) + "]";
				this.second = now;
			}
			line.append(this.text);
		}

	}

	private static PatternElement elapsed(String param, int position) {
		if (param == null) {
			return (e, line) -> line.append(TimeUnit.NANOSECONDS.toSeconds(e.durationNanos));
		}
		switch (param) {
			case "ms":
				return (e, line) -> line.append(TimeUnit.NANOSECONDS.toMillis(e.durationNanos));
			case "us":
				return (e, line) -> line.append(TimeUnit.NANOSECONDS.toMicros(e.durationNanos));
			case "fracsec":
				return (e, line) -> {
					long millis = TimeUnit.NANOSECONDS.toMillis(e.durationNanos);
					line.append(millis / 1000).append('.');
					appendThreeDigits(millis % 1000, line);
				};
			default:
				throw new IllegalArgumentException("%{" + param + "}T at position " + position
						+ " is not a unit; use ms, us or fracsec");
		}
	}

	private static void appendThreeDigits(long value, StringBuilder line) {
		if (value < 100) {
			line.append('0');
		}
		if (value < 10) {
			line.append('0');
		}
		line.append(value);
	}

	// ---- addresses and names

	private static void address(InetSocketAddress address, StringBuilder line) {
		InetAddress ip = (address != null) ? address.getAddress() : null;
		line.append((ip != null) ? ip.getHostAddress() : "-");
	}

	private static void port(InetSocketAddress address, StringBuilder line) {
		if (address != null) {
			line.append(address.getPort());
		}
		else {
			line.append('-');
		}
	}

	/** The Host the client asked for, without its port (Tomcat's getServerName()), else the local address. */
	private static void serverName(AccessLogEntry e, String host, StringBuilder line) {
		if (host == null || host.isEmpty()) {
			address(e.local, line);
			return;
		}
		int colon = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
		escapedText((colon > 0 && colon < host.length()) ? host.substring(0, colon) : host, line);
	}

	/** A cookie's value from a Cookie header, as sent (quotes kept), or {@code null}. */
	static String cookieValue(String header, String name) {
		if (header == null) {
			return null;
		}
		int from = 0;
		while (from < header.length()) {
			int end = header.indexOf(';', from);
			if (end < 0) {
				end = header.length();
			}
			int equals = header.indexOf('=', from);
			if (equals > 0 && equals < end && header.substring(from, equals).trim().equals(name)) {
				return header.substring(equals + 1, end).trim();
			}
			from = end + 1;
		}
		return null;
	}

	// ---- escaping

	/** A value, or {@code -} when there is none. */
	private static void escaped(String value, StringBuilder line) {
		if (value == null || value.isEmpty()) {
			line.append('-');
		}
		else {
			escapedText(value, line);
		}
	}

	/** Tomcat's escaping: backslash and quote escaped, control characters as \n, \t... or \\u00XX. */
	static void escapedText(String value, StringBuilder line) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> line.append("\\\\");
				case '"' -> line.append("\\\"");
				case '\n' -> line.append("\\n");
				case '\r' -> line.append("\\r");
				case '\t' -> line.append("\\t");
				case '\f' -> line.append("\\f");
				case '\b' -> line.append("\\b");
				default -> {
					if (c < 0x20 || c == 0x7f) {
						line.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
					}
					else {
						line.append(c);
					}
				}
			}
		}
	}

}
