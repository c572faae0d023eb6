package io.hybridserver.http;

import java.util.Locale;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

/**
 * Field names in the lower case HTTP/2 and HTTP/3 require (RFC 9113 8.2.1, RFC 9114 4.2), without a new string for
 * each response: a name already in lower case is used as it is, and the names responses carry most often, which
 * applications spell {@code Content-Type} or {@code Cache-Control}, become Netty's shared constants, which HPACK and
 * QPACK also find in their static tables at once. Only another name with a capital letter costs a string.
 */
final class LowerCaseNames {

	/** Response fields Spring MVC, WebFlux, Spring Security and this server set. */
	private static final AsciiString[] COMMON = { HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH,
			HttpHeaderNames.DATE, HttpHeaderNames.SERVER, HttpHeaderNames.VARY, HttpHeaderNames.CACHE_CONTROL,
			HttpHeaderNames.PRAGMA, HttpHeaderNames.EXPIRES, HttpHeaderNames.LOCATION, HttpHeaderNames.SET_COOKIE,
			HttpHeaderNames.ETAG, HttpHeaderNames.LAST_MODIFIED, HttpHeaderNames.CONTENT_ENCODING,
			HttpHeaderNames.CONTENT_LANGUAGE, HttpHeaderNames.CONTENT_DISPOSITION, HttpHeaderNames.CONTENT_RANGE,
			HttpHeaderNames.ACCEPT_RANGES, HttpHeaderNames.ALLOW, HttpHeaderNames.WWW_AUTHENTICATE,
			HttpHeaderNames.RETRY_AFTER, HttpHeaderNames.ALT_SVC, HttpHeaderNames.TRAILER,
			HttpHeaderNames.X_FRAME_OPTIONS, AsciiString.cached("x-content-type-options"),
			AsciiString.cached("x-xss-protection"), AsciiString.cached("strict-transport-security"),
			HttpHeaderNames.CONTENT_SECURITY_POLICY, HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN,
			HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS };

	private LowerCaseNames() {
	}

	/** {@code name} in lower case: itself when it is already, else a shared constant when there is one. */
	static CharSequence of(CharSequence name) {
		if (!hasCapital(name)) {
			return name;
		}
		int length = name.length();
		for (AsciiString common : COMMON) {
			if (common.length() == length && common.contentEqualsIgnoreCase(name)) {
				return common;
			}
		}
		return name.toString().toLowerCase(Locale.ROOT);
	}

	private static boolean hasCapital(CharSequence name) {
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c >= 'A' && c <= 'Z') {
				return true;
			}
		}
		return false;
	}

}
