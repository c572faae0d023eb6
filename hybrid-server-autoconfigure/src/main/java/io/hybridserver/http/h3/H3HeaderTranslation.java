package io.hybridserver.http.h3;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.util.AsciiString;

/**
 * Header fields between HTTP/3's form and the HTTP/1.1 form the application tier sees (RFC 9114 4.2-4.3): pseudo-header
 * fields stay out of the request fields, {@code :authority} becomes {@code Host}, split {@code Cookie} fields are
 * joined; response fields lose the connection-specific ones, which HTTP/3 forbids, and gain {@code :status}.
 */
final class H3HeaderTranslation {

	/** A CR, LF or NUL in a value makes the request malformed, as on HTTP/1.1. */
	private static final DefaultHttpHeadersFactory REQUEST_FIELDS = DefaultHttpHeadersFactory.headersFactory()
		.withValidation(true);

	private H3HeaderTranslation() {
	}

	/** RFC 9114 4.3.1: {@code :method}, and but for CONNECT a {@code :scheme} and non-empty {@code :path}. */
	static boolean hasRequiredPseudoHeaders(Http3Headers headers) {
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

	/** @throws IllegalArgumentException if a field is not valid HTTP (the request is malformed) */
	static HttpHeaders requestFields(Http3Headers headers) {
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

	/** @throws IllegalArgumentException for a pseudo-header field in trailers or a field not valid in HTTP */
	static HttpHeaders requestTrailers(Http3Headers headers) {
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

	/** The response head: {@code :status}, then the fields in lower case without connection-specific ones. */
	static Http3Headers responseHead(int status, HttpHeaders fields) {
		Http3Headers head = new DefaultHttp3Headers();
		head.status(Integer.toString(status));
		copy(fields, head);
		return head;
	}

	/** Response trailer fields in HTTP/3's form. */
	static Http3Headers trailers(HttpHeaders fields) {
		Http3Headers trailers = new DefaultHttp3Headers();
		copy(fields, trailers);
		return trailers;
	}

	private static void copy(HttpHeaders fields, Http3Headers target) {
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = fields.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> field = it.next();
			String name = field.getKey().toString().toLowerCase(Locale.ROOT);
			if (isConnectionSpecific(name)) {
				continue;
			}
			target.add(name, field.getValue());
		}
	}

	/** RFC 9114 4.2: fields that only make sense on one HTTP/1.1 connection, which an HTTP/3 message must not carry. */
	private static boolean isConnectionSpecific(String name) {
		return switch (name) {
			case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
			default -> false;
		};
	}

}
