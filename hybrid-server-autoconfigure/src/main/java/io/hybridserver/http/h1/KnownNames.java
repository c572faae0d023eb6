package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.AsciiString;

/**
 * The methods and header names most requests carry, as shared constants that are hashed once: a decoded name that is
 * one of them costs no allocation. Header names keep the case the client sent (as Netty's decoder and Tomcat keep
 * it), so each is known in lower case (HTTP/2, curl's habit for some) and in the capitalised form browsers send;
 * any other spelling is a new string. Bytes are looked up by length, then compared exactly.
 */
final class KnownNames {

	private static final HttpMethod[] METHODS = { HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.HEAD,
			HttpMethod.DELETE, HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.CONNECT };

	private static final AsciiString[] HEADERS = { HttpHeaderNames.HOST, HttpHeaderNames.CONNECTION,
			HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.TRANSFER_ENCODING,
			HttpHeaderNames.ACCEPT, HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.ACCEPT_LANGUAGE,
			HttpHeaderNames.ACCEPT_CHARSET, HttpHeaderNames.USER_AGENT, HttpHeaderNames.COOKIE,
			HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.PRAGMA, HttpHeaderNames.REFERER, HttpHeaderNames.ORIGIN,
			HttpHeaderNames.EXPECT, HttpHeaderNames.AUTHORIZATION, HttpHeaderNames.IF_NONE_MATCH,
			HttpHeaderNames.IF_MODIFIED_SINCE, HttpHeaderNames.IF_MATCH, HttpHeaderNames.IF_UNMODIFIED_SINCE,
			HttpHeaderNames.RANGE, HttpHeaderNames.UPGRADE, HttpHeaderNames.TE, HttpHeaderNames.TRAILER,
			HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.UPGRADE_INSECURE_REQUESTS, AsciiString.cached("x-forwarded-for"),
			HttpHeaderNames.X_REQUESTED_WITH, HttpHeaderNames.CONTENT_ENCODING, AsciiString.cached("forwarded"),
			AsciiString.cached("sec-fetch-site"), AsciiString.cached("sec-fetch-mode"),
			AsciiString.cached("sec-fetch-user"), AsciiString.cached("sec-fetch-dest"),
			AsciiString.cached("sec-ch-ua"), AsciiString.cached("sec-ch-ua-mobile"),
			AsciiString.cached("sec-ch-ua-platform"), AsciiString.cached("priority"), AsciiString.cached("dnt"),
			AsciiString.cached("x-forwarded-proto"), AsciiString.cached("x-forwarded-host"),
			AsciiString.cached("x-forwarded-port"), AsciiString.cached("x-request-id") };

	private static final int MAX_LENGTH = 32;

	private static final HttpMethod[][] METHODS_BY_LENGTH = new HttpMethod[MAX_LENGTH][];

	private static final AsciiString[][] HEADERS_BY_LENGTH = new AsciiString[MAX_LENGTH][];

	static {
		for (HttpMethod method : METHODS) {
			int length = method.name().length();
			METHODS_BY_LENGTH[length] = append(METHODS_BY_LENGTH[length], method, new HttpMethod[0]);
		}
		for (AsciiString name : HEADERS) {
			HEADERS_BY_LENGTH[name.length()] = append(HEADERS_BY_LENGTH[name.length()], name, new AsciiString[0]);
			AsciiString capitalised = capitalise(name);
			HEADERS_BY_LENGTH[name.length()] = append(HEADERS_BY_LENGTH[name.length()], capitalised,
					new AsciiString[0]);
		}
	}

	private KnownNames() {
	}

	private static <T> T[] append(T[] array, T element, T[] empty) {
		T[] grown = Arrays.copyOf((array != null) ? array : empty, (array != null) ? array.length + 1 : 1);
		grown[grown.length - 1] = element;
		return grown;
	}

	/** "content-length" to "Content-Length". */
	private static AsciiString capitalise(AsciiString name) {
		byte[] bytes = name.toByteArray();
		for (int i = 0; i < bytes.length; i++) {
			if ((i == 0 || bytes[i - 1] == '-') && bytes[i] >= 'a' && bytes[i] <= 'z') {
				bytes[i] -= 0x20;
			}
		}
		return new AsciiString(bytes, false);
	}

	/** The method whose token is {@code [from, to)}, already checked to be a token. */
	static HttpMethod method(byte[] buf, int from, int to) {
		int length = to - from;
		if (length < MAX_LENGTH && METHODS_BY_LENGTH[length] != null) {
			for (HttpMethod method : METHODS_BY_LENGTH[length]) {
				if (equalsExactly(buf, from, method.asciiName())) {
					return method;
				}
			}
		}
		return HttpMethod.valueOf(new String(buf, from, length, StandardCharsets.ISO_8859_1));
	}

	/**
	 * The header name {@code [from, to)}, already checked to be a token, in the client's spelling: a shared constant
	 * when it is a known one.
	 */
	static AsciiString headerName(byte[] buf, int from, int to) {
		int length = to - from;
		if (length < MAX_LENGTH && HEADERS_BY_LENGTH[length] != null) {
			for (AsciiString name : HEADERS_BY_LENGTH[length]) {
				if (equalsExactly(buf, from, name)) {
					return name;
				}
			}
		}
		return new AsciiString(buf, from, length, true);
	}

	private static boolean equalsExactly(byte[] buf, int from, AsciiString name) {
		// The first byte settles most mismatches.
		byte[] bytes = name.array();
		int offset = name.arrayOffset();
		int length = name.length();
		return buf[from] == bytes[offset]
				&& Arrays.equals(buf, from, from + length, bytes, offset, offset + length);
	}

}
