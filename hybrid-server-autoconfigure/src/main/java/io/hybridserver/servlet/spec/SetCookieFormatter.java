package io.hybridserver.servlet.spec;

import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.Cookie;

import io.hybridserver.http.HttpDates;

/**
 * Writes a {@link Cookie} as a {@code Set-Cookie} value in RFC 6265 form: {@code name=value}, then {@code Max-Age}
 * and, for old clients, the matching {@code Expires}, {@code Path}, {@code Domain}, {@code Secure}, {@code HttpOnly},
 * and every other attribute set through {@link Cookie#setAttribute} (notably {@code SameSite}) as written.
 */
final class SetCookieFormatter {

	private SetCookieFormatter() {
	}

	static String format(Cookie cookie) {
		StringBuilder header = new StringBuilder(64);
		header.append(cookie.getName()).append('=');
		String value = cookie.getValue();
		if (value != null) {
			checkValue(value);
			header.append(value);
		}
		int maxAge = cookie.getMaxAge();
		if (maxAge >= 0) {
			header.append("; Max-Age=").append(maxAge);
			// Expires for clients that predate Max-Age; maxAge 0 means "delete", so a date in the past.
			long expires = (maxAge == 0) ? 10_000L : System.currentTimeMillis() + maxAge * 1000L;
			header.append("; Expires=").append(HttpDates.format(expires));
		}
		if (cookie.getDomain() != null) {
			header.append("; Domain=").append(cookie.getDomain());
		}
		if (cookie.getPath() != null) {
			header.append("; Path=").append(cookie.getPath());
		}
		if (cookie.getSecure()) {
			header.append("; Secure");
		}
		if (cookie.isHttpOnly()) {
			header.append("; HttpOnly");
		}
		for (Map.Entry<String, String> attribute : cookie.getAttributes().entrySet()) {
			String name = attribute.getKey();
			switch (name.toLowerCase(Locale.ROOT)) {
				case "max-age", "expires", "domain", "path", "secure", "httponly", "comment", "version" -> {
					// written above from the typed properties, or obsolete
				}
				default -> {
					header.append("; ").append(name);
					if (attribute.getValue() != null && !attribute.getValue().isEmpty()) {
						header.append('=').append(attribute.getValue());
					}
				}
			}
		}
		return header.toString();
	}

	/** RFC 6265 cookie-octets; a quoted value is allowed. Anything else would let a value inject attributes. */
	private static void checkValue(String value) {
		String octets = (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
				? value.substring(1, value.length() - 1) : value;
		for (int i = 0; i < octets.length(); i++) {
			char c = octets.charAt(i);
			if (c < 0x21 || c == '"' || c == ',' || c == ';' || c == '\\' || c >= 0x7f) {
				throw new IllegalArgumentException("Invalid character in cookie value: " + value);
			}
		}
	}

}
