package io.hybridserver.servlet.spec;

import java.util.Locale;

/**
 * The one piece of {@code Content-Type} syntax the container needs: finding and removing the {@code charset}
 * parameter, leaving every other parameter as the application wrote it.
 */
final class ContentTypes {

	private ContentTypes() {
	}

	/** The charset parameter's value without quotes, or {@code null}. */
	static String charset(String contentType) {
		if (contentType == null || contentType.indexOf(';') < 0) {
			return null;
		}
		String[] parts = contentType.split(";");
		for (int i = 1; i < parts.length; i++) {
			String part = parts[i].trim();
			int eq = part.indexOf('=');
			if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase("charset")) {
				String value = part.substring(eq + 1).trim();
				if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
					value = value.substring(1, value.length() - 1);
				}
				return value.isEmpty() ? null : value;
			}
		}
		return null;
	}

	/** The content type with its charset parameter removed. */
	static String withoutCharset(String contentType) {
		if (contentType.indexOf(';') < 0) {
			// Set on almost every response: no parameters, nothing to split or build.
			return contentType.trim();
		}
		String[] parts = contentType.split(";");
		StringBuilder result = new StringBuilder(parts[0].trim());
		for (int i = 1; i < parts.length; i++) {
			String part = parts[i].trim();
			int eq = part.indexOf('=');
			if (part.isEmpty() || (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase("charset"))) {
				continue;
			}
			result.append(';').append(part);
		}
		return result.toString();
	}

	/** The media type alone, lower case, for comparisons such as "is this a form post". */
	static String mediaType(String contentType) {
		if (contentType == null) {
			return null;
		}
		int semi = contentType.indexOf(';');
		return ((semi < 0) ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
	}

}
