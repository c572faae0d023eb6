package io.hybridserver.http;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Header fields between the form of the protocols that carry them in a field section with pseudo-header fields
 * (HTTP/2, RFC 9113 8.2-8.3; HTTP/3, RFC 9114 4.2-4.3) and the HTTP/1.1 form the application tier sees: pseudo-header
 * fields stay out of the request fields, {@code :authority} becomes {@code Host}, split {@code Cookie} fields are
 * joined again; response fields lose the connection-specific ones and gain {@code :status}.
 *
 * <p>Generic over Netty's {@link Headers} of character sequences, which both {@code Http2Headers} and
 * {@code Http3Headers} are: the pseudo-header fields are read by name, so this package needs neither codec.
 */
public final class HeaderTranslation {

	private static final AsciiString METHOD = AsciiString.cached(":method");

	private static final AsciiString SCHEME = AsciiString.cached(":scheme");

	private static final AsciiString AUTHORITY = AsciiString.cached(":authority");

	private static final AsciiString PATH = AsciiString.cached(":path");

	private static final AsciiString STATUS = AsciiString.cached(":status");

	/** Names and values checked as HTTP/1.1 checks them: a CR, LF or NUL in a value makes the request malformed. */
	private static final DefaultHttpHeadersFactory REQUEST_FIELDS = DefaultHttpHeadersFactory.headersFactory()
		.withValidation(true);

	private HeaderTranslation() {
	}

	/**
	 * Whether the request carries the pseudo-header fields both protocols require (RFC 9113 8.3.1, RFC 9114 4.3.1):
	 * {@code :method}, and for every method but CONNECT also {@code :scheme} and a non-empty {@code :path}; CONNECT
	 * needs {@code :authority}. (The codecs already refuse unknown, repeated and misplaced ones.)
	 */
	public static boolean hasRequiredPseudoHeaders(Headers<CharSequence, CharSequence, ?> headers) {
		CharSequence method = headers.get(METHOD);
		if (method == null) {
			return false;
		}
		if (AsciiString.contentEquals(method, "CONNECT")) {
			return headers.get(AUTHORITY) != null;
		}
		CharSequence path = headers.get(PATH);
		return headers.get(SCHEME) != null && path != null && path.length() > 0;
	}

	/** The request's method: {@code :method}, {@code GET} when absent (a request refused before it is read). */
	public static String method(Headers<CharSequence, CharSequence, ?> headers) {
		CharSequence method = headers.get(METHOD);
		return (method != null) ? method.toString() : "GET";
	}

	/** The request-target as HTTP/1.1 would carry it: {@code :path}, else CONNECT's {@code :authority}, else {@code /}. */
	public static String target(Headers<CharSequence, CharSequence, ?> headers) {
		CharSequence path = headers.get(PATH);
		if (path != null) {
			return path.toString();
		}
		CharSequence authority = headers.get(AUTHORITY);
		return (authority != null) ? authority.toString() : "/";
	}

	/**
	 * The request's header fields as HTTP/1.1 would carry them.
	 * @throws IllegalArgumentException if a field is not valid in HTTP (RFC 9113 8.2.1, RFC 9114 4.1.2: the request is
	 * malformed)
	 */
	public static HttpHeaders requestFields(Headers<CharSequence, CharSequence, ?> headers) {
		HttpHeaders fields = REQUEST_FIELDS.newHeaders();
		StringBuilder cookies = null;
		for (Map.Entry<CharSequence, CharSequence> field : headers) {
			CharSequence name = field.getKey();
			if (isPseudoHeader(name)) {
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
		CharSequence authority = headers.get(AUTHORITY);
		if (authority != null && !fields.contains(HttpHeaderNames.HOST)) {
			fields.set(HttpHeaderNames.HOST, authority);
		}
		return fields;
	}

	/**
	 * A request's trailer fields, as HTTP/1.1's trailer section would carry them.
	 * @throws IllegalArgumentException for a pseudo-header field (RFC 9113 8.1, RFC 9114 4.3) or a field not valid in
	 * HTTP
	 */
	public static HttpHeaders requestTrailers(Headers<CharSequence, CharSequence, ?> headers) {
		HttpHeaders fields = REQUEST_FIELDS.newHeaders();
		for (Map.Entry<CharSequence, CharSequence> field : headers) {
			CharSequence name = field.getKey();
			if (isPseudoHeader(name)) {
				throw new IllegalArgumentException("Pseudo-header field in trailers: " + name);
			}
			fields.add(name, field.getValue());
		}
		return fields;
	}

	/**
	 * The request body's declared length, {@code -1} when the request declares none.
	 * @throws IllegalArgumentException for a {@code Content-Length} that is not a number (the request is malformed)
	 */
	public static long contentLength(HttpHeaders fields) {
		String value = fields.get(HttpHeaderNames.CONTENT_LENGTH);
		if (value == null) {
			return -1;
		}
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("Invalid content-length: " + value, ex);
		}
	}

	/**
	 * Fills {@code head} with {@code :status} and then {@code fields}, lower-cased and without the connection-specific
	 * ones (see {@link #responseFields}).
	 * @return {@code head}
	 */
	public static <H extends Headers<CharSequence, CharSequence, ?>> H responseHead(int status, HttpHeaders fields,
			H head) {
		head.set(STATUS, Integer.toString(status));
		return responseFields(fields, head);
	}

	/**
	 * Adds {@code fields} to {@code target} with lower-case names, leaving out the fields that only make sense on one
	 * HTTP/1.1 connection, which HTTP/2 and HTTP/3 messages must not carry (RFC 9113 8.2.2, RFC 9114 4.2).
	 * @return {@code target}
	 */
	public static <H extends Headers<CharSequence, CharSequence, ?>> H responseFields(HttpHeaders fields, H target) {
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = fields.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> field = it.next();
			String name = field.getKey().toString().toLowerCase(Locale.ROOT);
			if (isConnectionSpecific(name)) {
				continue;
			}
			target.add(name, field.getValue());
		}
		return target;
	}

	private static boolean isPseudoHeader(CharSequence name) {
		return name.length() > 0 && name.charAt(0) == ':';
	}

	private static boolean isConnectionSpecific(String name) {
		return switch (name) {
			case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
			default -> false;
		};
	}

}
