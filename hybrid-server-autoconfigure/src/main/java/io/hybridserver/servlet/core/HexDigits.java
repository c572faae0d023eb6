package io.hybridserver.servlet.core;

/**
 * The hex digits of a percent-escape (RFC 3986 2.1: {@code HEXDIG} is ASCII only). {@link Character#digit(char, int)}
 * is not enough: it also reads Arabic-Indic, fullwidth and other Unicode digits and letters, so {@code %٤١} would
 * decode to {@code A} here while a proxy or a filter in front sees no escape at all.
 */
public final class HexDigits {

	private HexDigits() {
	}

	/** The value of an ASCII hex digit, or {@code -1}. */
	public static int value(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

}
