package io.hybridserver.servlet.spec;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.Cookie;

/**
 * Reads {@code Cookie} request headers (RFC 6265 section 4.2): {@code name=value} pairs separated by {@code ;}.
 * Tolerant as browsers are: pairs without {@code =} and names {@link Cookie} refuses are skipped rather than failing
 * the request, surrounding double quotes are removed, and several Cookie headers are combined.
 */
final class CookieHeaderParser {

	private CookieHeaderParser() {
	}

	static Cookie[] parse(List<String> headers) {
		List<Cookie> cookies = new ArrayList<>();
		for (String header : headers) {
			for (String pair : header.split(";")) {
				int eq = pair.indexOf('=');
				if (eq <= 0) {
					continue;
				}
				String name = pair.substring(0, eq).trim();
				String value = pair.substring(eq + 1).trim();
				if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
					value = value.substring(1, value.length() - 1);
				}
				if (name.isEmpty() || name.startsWith("$")) {
					// $Version, $Path...: RFC 2109 leftovers, not cookies.
					continue;
				}
				try {
					cookies.add(new Cookie(name, value));
				}
				catch (IllegalArgumentException ex) {
					// a name with separators or control characters: ignore this pair only
				}
			}
		}
		return cookies.toArray(new Cookie[0]);
	}

}
