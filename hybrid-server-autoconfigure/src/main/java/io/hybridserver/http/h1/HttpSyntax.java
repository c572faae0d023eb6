package io.hybridserver.http.h1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The character classes and small grammars of RFC 9110, RFC 9112 and RFC 3986 that the request decoder checks, over
 * the bytes of one line in an array (the decoder copies each line of a head once, in bulk; reading a buffer byte by
 * byte costs a bounds and reference-count check per byte). Ranges are {@code [from, to)}.
 */
final class HttpSyntax {

	private static final int TCHAR = 1;

	/** Request-target bytes: visible ASCII except '#' (a fragment is never sent, RFC 9112 3.2). */
	private static final int TARGET = 2;

	/** Field value bytes: HTAB, SP, VCHAR, obs-text; no CR, LF, NUL or other controls, no DEL. */
	private static final int FIELD_VALUE = 4;

	/** RFC 3986 reg-name bytes besides pct-encoded: unreserved and sub-delims. */
	private static final int REG_NAME = 8;

	private static final int HEX = 16;

	/** RFC 9110 qdtext (without the obs-text bytes, which are negative as Java bytes and handled apart). */
	private static final int QDTEXT = 32;

	private static final byte[] CLASSES = new byte[256];

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	static {
		for (int c = 0x21; c <= 0x7E; c++) {
			add(c, TARGET | FIELD_VALUE | QDTEXT);
		}
		CLASSES['#'] &= ~TARGET;
		CLASSES['"'] &= ~QDTEXT;
		CLASSES['\\'] &= ~QDTEXT;
		add(' ', FIELD_VALUE | QDTEXT);
		add('\t', FIELD_VALUE | QDTEXT);
		for (int c = 0x80; c <= 0xFF; c++) {
			add(c, FIELD_VALUE | QDTEXT);
		}
		for (int c = '0'; c <= '9'; c++) {
			add(c, TCHAR | REG_NAME | HEX);
		}
		for (int c = 'a'; c <= 'z'; c++) {
			add(c, TCHAR | REG_NAME);
			add(Character.toUpperCase(c), TCHAR | REG_NAME);
		}
		for (int c = 'a'; c <= 'f'; c++) {
			add(c, HEX);
			add(Character.toUpperCase(c), HEX);
		}
		for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
			add(c, TCHAR);
		}
		for (char c : "-._~!$&'()*+,;=".toCharArray()) {
			add(c, REG_NAME);
		}
	}

	/** The index of the first byte in {@code [from, to)} that is not a tchar, or {@code to}. */
	static int tokenEnd(byte[] b, int from, int to) {
		return scan(b, from, to, TCHAR);
	}

	/** The index of the first byte in {@code [from, to)} not allowed in a request-target, or {@code to}. */
	static int targetEnd(byte[] b, int from, int to) {
		return scan(b, from, to, TARGET);
	}

	/**
	 * Whether every byte in {@code [from, to)} is allowed in a field value. Values are most of a head's bytes, so they
	 * are checked eight at a time: a word with no byte below 0x20 and none equal to 0x7F is fine as it stands (bytes
	 * from 0x80, obs-text, are allowed and never flagged); a flagged word, which may just hold a tab, is looked at byte
	 * by byte.
	 */
	static boolean isFieldValue(byte[] b, int from, int to) {
		int p = from;
		for (; p + 8 <= to; p += 8) {
			long word = (long) LONGS.get(b, p);
			if ((hasByteBelow0x20(word) | hasByte0x7F(word)) != 0 && scan(b, p, p + 8, FIELD_VALUE) != p + 8) {
				return false;
			}
		}
		return scan(b, p, to, FIELD_VALUE) == to;
	}

	/** Nonzero when some byte of the word, read as unsigned, is below 0x20 (bytes from 0x80 never count). */
	private static long hasByteBelow0x20(long word) {
		return (word - 0x2020202020202020L) & ~word & 0x8080808080808080L;
	}

	/** Nonzero when some byte of the word is 0x7F. */
	private static long hasByte0x7F(long word) {
		long x = word ^ 0x7F7F7F7F7F7F7F7FL;
		return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
	}

	private static int scan(byte[] b, int from, int to, int flag) {
		int p = from;
		while (p < to && (CLASSES[b[p] & 0xFF] & flag) != 0) {
			p++;
		}
		return p;
	}

	private HttpSyntax() {
	}

	private static void add(int c, int flags) {
		CLASSES[c] |= (byte) flags;
	}

	static boolean isTchar(int b) {
		return (CLASSES[b & 0xFF] & TCHAR) != 0;
	}

	static boolean isHex(int b) {
		return (CLASSES[b & 0xFF] & HEX) != 0;
	}

	static int hexValue(int b) {
		return (b <= '9') ? b - '0' : (b | 0x20) - 'a' + 10;
	}

	static boolean isWhitespace(int b) {
		return b == ' ' || b == '\t';
	}

	/** The index of the first byte in {@code [from, to)} that is not SP or HTAB, or {@code to}. */
	static int skipWhitespace(byte[] b, int from, int to) {
		int p = from;
		while (p < to && isWhitespace(b[p])) {
			p++;
		}
		return p;
	}

	/** The end of {@code [from, to)} without its trailing SP and HTAB. */
	static int trimEnd(byte[] b, int from, int to) {
		int end = to;
		while (end > from && isWhitespace(b[end - 1])) {
			end--;
		}
		return end;
	}

	/**
	 * The end of an RFC 9110 quoted-string starting at {@code from} (on its opening DQUOTE), or -1 if there is none.
	 */
	static int quotedStringEnd(byte[] buf, int from, int to) {
		if (from >= to || buf[from] != '"') {
			return -1;
		}
		int p = from + 1;
		while (p < to) {
			int b = buf[p];
			if (b == '"') {
				return p + 1;
			}
			if (b == '\\') {
				// quoted-pair: the escaped byte must be HTAB, SP, VCHAR or obs-text.
				if (p + 1 >= to || (CLASSES[buf[p + 1] & 0xFF] & QDTEXT) == 0
						&& buf[p + 1] != '"' && buf[p + 1] != '\\') {
					return -1;
				}
				p += 2;
				continue;
			}
			if ((CLASSES[b & 0xFF] & QDTEXT) == 0) {
				return -1;
			}
			p++;
		}
		return -1;
	}

	/**
	 * Whether {@code [from, to)}, what follows a chunk size, is {@code *( BWS ";" BWS token [ BWS "=" BWS ( token /
	 * quoted-string ) ] )} exactly (RFC 9112 7.1.1): so {@code 5;"} and a trailing space ({@code "5 "}) are not.
	 */
	static boolean isChunkExtensions(byte[] b, int from, int to) {
		int p = from;
		while (p < to) {
			p = skipWhitespace(b, p, to);
			if (p == to || b[p] != ';') {
				return false;
			}
			p = skipWhitespace(b, p + 1, to);
			int nameEnd = tokenEnd(b, p, to);
			if (nameEnd == p) {
				return false;
			}
			p = nameEnd;
			int afterSpace = skipWhitespace(b, p, to);
			if (afterSpace < to && b[afterSpace] == '=') {
				int valueStart = skipWhitespace(b, afterSpace + 1, to);
				int valueEnd = (valueStart < to && b[valueStart] == '"') ? quotedStringEnd(b, valueStart, to)
						: tokenEnd(b, valueStart, to);
				if (valueEnd <= valueStart) {
					return false;
				}
				p = valueEnd;
			}
		}
		return true;
	}

	/**
	 * Whether {@code [from, to)} is an RFC 3986 authority without userinfo, as a Host header (RFC 9112 3.2) or the
	 * authority of an absolute-form target holds it: {@code host [ ":" port ]}, the host an IP-literal, an IPv4 address
	 * or a reg-name, the port at most five digits. An empty range is valid (an empty Host header is allowed); a port
	 * without a host is not.
	 */
	static boolean isHostAndPort(byte[] buf, int from, int to) {
		if (from == to) {
			return true;
		}
		int p = from;
		if (buf[p] == '[') {
			int close = indexOf(buf, p, to, ']');
			if (close < 0 || !isIpLiteral(buf, p + 1, close)) {
				return false;
			}
			p = close + 1;
		}
		else {
			while (p < to) {
				int b = buf[p];
				if (b == ':') {
					break;
				}
				if (b == '%') {
					if (p + 2 >= to || !isHex(buf[p + 1]) || !isHex(buf[p + 2])) {
						return false;
					}
					p += 3;
					continue;
				}
				if ((CLASSES[b & 0xFF] & REG_NAME) == 0) {
					return false;
				}
				p++;
			}
			if (p == from) {
				return false;
			}
		}
		if (p == to) {
			return true;
		}
		if (buf[p] != ':' || to - (p + 1) > 5) {
			return false;
		}
		for (int i = p + 1; i < to; i++) {
			int b = buf[i];
			if (b < '0' || b > '9') {
				return false;
			}
		}
		return true;
	}

	/** The index of {@code c} in {@code [from, to)}, or -1. */
	static int indexOf(byte[] buf, int from, int to, char c) {
		for (int i = from; i < to; i++) {
			if (buf[i] == c) {
				return i;
			}
		}
		return -1;
	}

	/** IPv6address or IPvFuture, between the brackets. */
	private static boolean isIpLiteral(byte[] buf, int from, int to) {
		if (from >= to) {
			return false;
		}
		int first = buf[from];
		if (first == 'v' || first == 'V') {
			int p = from + 1;
			int hexStart = p;
			while (p < to && isHex(buf[p])) {
				p++;
			}
			if (p == hexStart || p >= to || buf[p] != '.' || p + 1 >= to) {
				return false;
			}
			for (int i = p + 1; i < to; i++) {
				int b = buf[i];
				if (b != ':' && (CLASSES[b & 0xFF] & REG_NAME) == 0) {
					return false;
				}
			}
			return true;
		}
		return isIpv6(buf, from, to);
	}

	/** RFC 3986 IPv6address: up to eight groups of 1-4 hex digits, one "::" at most, an IPv4 address as the tail. */
	private static boolean isIpv6(byte[] buf, int from, int to) {
		int groups = 0;
		boolean compressed = false;
		int p = from;
		if (to - from >= 2 && buf[p] == ':' && buf[p + 1] == ':') {
			compressed = true;
			p += 2;
			if (p == to) {
				return true;
			}
		}
		else if (buf[p] == ':') {
			return false;
		}
		while (p < to) {
			int start = p;
			while (p < to && isHex(buf[p]) && p - start < 5) {
				p++;
			}
			if (p < to && buf[p] == '.') {
				// The IPv4 tail counts as two groups.
				if (!isIpv4(buf, start, to)) {
					return false;
				}
				groups += 2;
				p = to;
				break;
			}
			if (p == start || p - start > 4) {
				return false;
			}
			groups++;
			if (p == to) {
				break;
			}
			if (buf[p] != ':') {
				return false;
			}
			p++;
			if (p < to && buf[p] == ':') {
				if (compressed) {
					return false;
				}
				compressed = true;
				p++;
				if (p == to) {
					break;
				}
			}
			else if (p == to) {
				return false;
			}
		}
		return compressed ? groups <= 7 : groups == 8;
	}

	private static boolean isIpv4(byte[] buf, int from, int to) {
		int parts = 0;
		int p = from;
		while (p <= to) {
			int start = p;
			int value = 0;
			while (p < to && buf[p] >= '0' && buf[p] <= '9' && p - start < 3) {
				value = value * 10 + (buf[p] - '0');
				p++;
			}
			if (p == start || value > 255 || (p - start > 1 && buf[start] == '0')) {
				return false;
			}
			parts++;
			if (p == to) {
				return parts == 4;
			}
			if (buf[p] != '.') {
				return false;
			}
			p++;
		}
		return false;
	}

}
