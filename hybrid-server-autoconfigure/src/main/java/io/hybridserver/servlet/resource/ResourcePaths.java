package io.hybridserver.servlet.resource;

import java.nio.charset.StandardCharsets;

/** Checks and encodes the context-relative paths that resources are asked for by. */
final class ResourcePaths {

	private static final char[] HEX = "0123456789ABCDEF".toCharArray();

	private ResourcePaths() {
	}

	/**
	 * Whether a path may name a resource: it starts with {@code /} and has no segment that climbs ({@code ..}), no
	 * backslash and no NUL, which a file system could read as a separator or an end. Such paths find nothing, as in
	 * Tomcat, rather than something outside the resources.
	 */
	static boolean isAcceptable(String path) {
		if (path == null || path.isEmpty() || path.charAt(0) != '/') {
			return false;
		}
		return !path.contains("..") && path.indexOf('\\') < 0 && path.indexOf('\0') < 0;
	}

	/** Percent-encodes what a URL path may not hold as is (the class loader's {@code ParseUtil.encodePath} rule). */
	static String encode(String path) {
		StringBuilder out = null;
		for (int i = 0; i < path.length();) {
			int codePoint = path.codePointAt(i);
			int next = i + Character.charCount(codePoint);
			if (codePoint < 128 && isPathChar((char) codePoint)) {
				if (out != null) {
					out.append((char) codePoint);
				}
			}
			else {
				if (out == null) {
					out = new StringBuilder(path.length() + 16).append(path, 0, i);
				}
				for (byte b : path.substring(i, next).getBytes(StandardCharsets.UTF_8)) {
					out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
				}
			}
			i = next;
		}
		return (out != null) ? out.toString() : path;
	}

	private static boolean isPathChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| "/-_.!~*'()@:&=+$,;".indexOf(c) >= 0;
	}

}
