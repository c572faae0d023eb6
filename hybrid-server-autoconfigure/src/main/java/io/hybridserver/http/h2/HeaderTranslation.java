package io.hybridserver.http.h2;

import java.util.Map;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;

/**
 * Header fields between HTTP/2's form and the one the application tier sees, which is HTTP/1.1's: pseudo-header fields
 * stay out of the request fields, {@code :authority} becomes {@code Host} (RFC 9113 8.3.1), split {@code Cookie}
 * fields are joined again (8.2.3); response fields lose the connection-specific ones (8.2.2) and gain {@code :status}.
 */
final class HeaderTranslation {

	/** Names and values checked as HTTP/1.1 checks them: a CR, LF or NUL in a value makes the request malformed. */
	private static final DefaultHttpHeadersFactory REQUEST_FIELDS = DefaultHttpHeadersFactory.headersFactory()
		.withValidation(true);

	private HeaderTranslation() {
	}

	/**
	 * Whether the request carries the pseudo-header fields RFC 9113 8.3.1 requires: {@code :method}, and for every
	 * method but CONNECT also {@code :scheme} and a non-empty {@code :path}. (The codec already refuses unknown,
	 * repeated and misplaced ones.)
	 */
	static boolean hasRequiredPseudoHeaders(Http2Headers headers) {
		CharSequence method = headers.method();
		if (method == null) {
			return false;
		}
		if (AsciiString.contentEquals(method, "CONNECT")) {
			return headers.authority() != null;
		}
		CharSequence path = headers.path();
		return headers.scheme() != null && path != null && path.length() > 0;
	}

	/**
	 * @throws IllegalArgumentException if a field is not valid in HTTP (RFC 9113 8.2.1: the request is malformed)
	 */
	static HttpHeaders requestFields(Http2Headers headers) {
		HttpHeaders fields = REQUEST_FIELDS.newHeaders();
		StringBuilder cookies = null;
		for (Map.Entry<CharSequence, CharSequence> field : headers) {
			CharSequence name = field.getKey();
			if (name.length() > 0 && name.charAt(0) == ':') {
				continue;
			}
			if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)) {
				cookies = (cookies == null) ? new StringBuilder() : cookies.append("; ");
				cookies.append(field.getValue());
				continue;
			}
			fields.add(name, field.getValue());
		}
		if (cookies != null) {
			fields.add(HttpHeaderNames.COOKIE, cookies.toString());
		}
		CharSequence authority = headers.authority();
		if (authority != null && !fields.contains(HttpHeaderNames.HOST)) {
			fields.set(HttpHeaderNames.HOST, authority);
		}
		return fields;
	}

	/**
	 * A request's trailer fields, as HTTP/1.1's trailer section would carry them.
	 * @throws IllegalArgumentException for a pseudo-header field (RFC 9113 8.1) or a field not valid in HTTP
	 */
	static HttpHeaders requestTrailers(Http2Headers headers) {
		HttpHeaders fields = REQUEST_FIELDS.newHeaders();
		for (Map.Entry<CharSequence, CharSequence> field : headers) {
			CharSequence name = field.getKey();
			if (name.length() > 0 && name.charAt(0) == ':') {
				throw new IllegalArgumentException("Pseudo-header field in trailers: " + name);
			}
			fields.add(name, field.getValue());
		}
		return fields;
	}

	/** Response trailer fields: lower-case names, without connection-specific fields. */
	static Http2Headers trailers(HttpHeaders fields) {
		return HttpConversionUtil.toHttp2Headers(fields, false);
	}

	/** The response head: {@code :status} first, then the fields in lower case without connection-specific ones. */
	static Http2Headers responseHead(int status, HttpHeaders fields) {
		Http2Headers head = HttpConversionUtil.toHttp2Headers(fields, false);
		head.status(AsciiString.of(Integer.toString(status)));
		return head;
	}

}
