package io.hybridserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * The character classes and small grammars of RFC 9110, RFC 9112 and RFC 3986 that the request decoder checks, over
 * bytes in a {@link ByteBuf} so that nothing is copied to check it. Scans are {@link ByteProcessor}s that stop at the
 * first byte outside their class, for {@link ByteBuf#forEachByte(int, int, ByteProcessor)}.
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

	/** Stops at the first byte that is not a tchar. */
	static final ByteProcessor FIND_NON_TCHAR = (b) -> (CLASSES[b & 0xFF] & TCHAR) != 0;

	/** Stops at the first byte not allowed in a request-target. */
	static final ByteProcessor FIND_NON_TARGET = (b) -> (CLASSES[b & 0xFF] & TARGET) != 0;

	/** Stops at the first byte not allowed in a field value. */
	static final ByteProcessor FIND_NON_FIELD_VALUE = (b) -> (CLASSES[b & 0xFF] & FIELD_VALUE) != 0;

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
	static int skipWhitespace(ByteBuf buf, int from, int to) {
		int p = from;
		while (p < to && isWhitespace(buf.getByte(p))) {
			p++;
		}
		return p;
	}

	/** The end of a token starting at {@code from} (the first index past it), {@code from} when there is none. */
	static int tokenEnd(ByteBuf buf, int from, int to) {
		int p = from;
		while (p < to && isTchar(buf.getByte(p))) {
			p++;
		}
		return p;
	}

	/**
	 * The end of an RFC 9110 quoted-string starting at {@code from} (on its opening DQUOTE), or -1 if there is none.
	 */
	static int quotedStringEnd(ByteBuf buf, int from, int to) {
		if (from >= to || buf.getByte(from) != '"') {
			return -1;
		}
		int p = from + 1;
		while (p < to) {
			int b = buf.getByte(p);
			if (b == '"') {
				return p + 1;
			}
			if (b == '\\') {
				// quoted-pair: the escaped byte must be HTAB, SP, VCHAR or obs-text.
				if (p + 1 >= to || (CLASSES[buf.getByte(p + 1) & 0xFF] & QDTEXT) == 0
						&& buf.getByte(p + 1) != '"' && buf.getByte(p + 1) != '\\') {
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
	 * Whether {@code [from, to)} is an RFC 3986 authority without userinfo, as a Host header (RFC 9112 3.2) or the
	 * authority of an absolute-form target holds it: {@code host [ ":" port ]}, the host an IP-literal, an IPv4 address
	 * or a reg-name, the port at most five digits. An empty range is valid (an empty Host header is allowed); a port
	 * without a host is not.
	 */
	static boolean isHostAndPort(ByteBuf buf, int from, int to) {
		if (from == to) {
			return true;
		}
		int p = from;
		if (buf.getByte(p) == '[') {
			int close = buf.indexOf(p, to, (byte) ']');
			if (close < 0 || !isIpLiteral(buf, p + 1, close)) {
				return false;
			}
			p = close + 1;
		}
		else {
			while (p < to) {
				int b = buf.getByte(p);
				if (b == ':') {
					break;
				}
				if (b == '%') {
					if (p + 2 >= to || !isHex(buf.getByte(p + 1)) || !isHex(buf.getByte(p + 2))) {
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
		if (buf.getByte(p) != ':' || to - (p + 1) > 5) {
			return false;
		}
		for (int i = p + 1; i < to; i++) {
			int b = buf.getByte(i);
			if (b < '0' || b > '9') {
				return false;
			}
		}
		return true;
	}

	/** IPv6address or IPvFuture, between the brackets. */
	private static boolean isIpLiteral(ByteBuf buf, int from, int to) {
		if (from >= to) {
			return false;
		}
		int first = buf.getByte(from);
		if (first == 'v' || first == 'V') {
			int p = from + 1;
			int hexStart = p;
			while (p < to && isHex(buf.getByte(p))) {
				p++;
			}
			if (p == hexStart || p >= to || buf.getByte(p) != '.' || p + 1 >= to) {
				return false;
			}
			for (int i = p + 1; i < to; i++) {
				int b = buf.getByte(i);
				if (b != ':' && (CLASSES[b & 0xFF] & REG_NAME) == 0) {
					return false;
				}
			}
			return true;
		}
		return isIpv6(buf, from, to);
	}

	/** RFC 3986 IPv6address: up to eight groups of 1-4 hex digits, one "::" at most, an IPv4 address as the tail. */
	private static boolean isIpv6(ByteBuf buf, int from, int to) {
		int groups = 0;
		boolean compressed = false;
		int p = from;
		if (to - from >= 2 && buf.getByte(p) == ':' && buf.getByte(p + 1) == ':') {
			compressed = true;
			p += 2;
			if (p == to) {
				return true;
			}
		}
		else if (buf.getByte(p) == ':') {
			return false;
		}
		while (p < to) {
			int start = p;
			while (p < to && isHex(buf.getByte(p)) && p - start < 5) {
				p++;
			}
			if (p < to && buf.getByte(p) == '.') {
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
			if (buf.getByte(p) != ':') {
				return false;
			}
			p++;
			if (p < to && buf.getByte(p) == ':') {
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

	private static boolean isIpv4(ByteBuf buf, int from, int to) {
		int parts = 0;
		int p = from;
		while (p <= to) {
			int start = p;
			int value = 0;
			while (p < to && buf.getByte(p) >= '0' && buf.getByte(p) <= '9' && p - start < 3) {
				value = value * 10 + (buf.getByte(p) - '0');
				p++;
			}
			if (p == start || value > 255 || (p - start > 1 && buf.getByte(start) == '0')) {
				return false;
			}
			parts++;
			if (p == to) {
				return parts == 4;
			}
			if (buf.getByte(p) != '.') {
				return false;
			}
			p++;
		}
		return false;
	}

}
