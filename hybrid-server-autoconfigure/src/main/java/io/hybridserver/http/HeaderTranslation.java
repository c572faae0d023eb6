package io.hybridserver.http;

import java.util.Iterator;
import java.util.Map;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

/**
 * Header fields between the form of the protocols that carry them in a field section with pseudo-header fields
 * (HTTP/2, RFC 9113 8.2-8.3; HTTP/3, RFC 9114 4.2-4.3) and the HTTP/1.1 form the application tier sees: pseudo-header
 * fields stay out of the request fields, {@code :authority} becomes {@code Host}, split {@code Cookie} fields are
 * joined again; response fields lose the connection-specific ones and gain {@code :status}. A request's fields become
 * an {@link ArrayHttpHeaders}, as HTTP/1.1's do: one array per request instead of a hash table and an entry per field.
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
	private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory()
		.withValidation(true);

	private static final DefaultHeaders.NameValidator<CharSequence> NAME_VALIDATOR = VALIDATING.getNameValidator();

	private static final DefaultHeaders.ValueValidator<CharSequence> VALUE_VALIDATOR = VALIDATING.getValueValidator();

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
	 * The request's header fields as HTTP/1.1 would carry them, read-only: the field section's fields in order without
	 * its pseudo-header fields, then the {@code Cookie} crumbs joined with {@code "; "} into one field (RFC 9113 8.2.3,
	 * RFC 9114 4.2.1), then {@code :authority} as {@code Host} unless the client sent a {@code Host} field. One array
	 * sized from the section, the values as the codec decoded them: no hash table, no entry per field.
	 * @throws IllegalArgumentException if the request is malformed (RFC 9113 8.2, RFC 9114 4.2): a name or value not
	 * valid in HTTP, a connection-specific field, or {@code TE} with another value than {@code trailers}
	 */
	public static ArrayHttpHeaders requestFields(Headers<CharSequence, CharSequence, ?> headers) {
		// Room for every field of the section and Host: the pseudo-header fields' slots stay unused.
		CharSequence[] fields = new CharSequence[2 * headers.size() + 2];
		int length = 0;
		CharSequence cookie = null;
		StringBuilder cookies = null;
		boolean host = false;
		for (Map.Entry<CharSequence, CharSequence> field : headers) {
			CharSequence name = field.getKey();
			if (isPseudoHeader(name)) {
				continue;
			}
			CharSequence value = field.getValue();
			checkRequestField(name, value);
			if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)) {
				// Most requests carry one field (or none): it is kept as it came, and only crumbs make a new string.
				if (cookie == null) {
					cookie = value;
				}
				else {
					cookies = ((cookies != null) ? cookies : new StringBuilder(cookie)).append("; ").append(value);
				}
				continue;
			}
			host |= AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.HOST);
			fields[length++] = name;
			fields[length++] = value;
		}
		if (cookie != null) {
			fields[length++] = HttpHeaderNames.COOKIE;
			fields[length++] = (cookies != null) ? cookies.toString() : cookie;
		}
		if (!host) {
			CharSequence authority = headers.get(AUTHORITY);
			if (authority != null) {
				VALUE_VALIDATOR.validate(authority);
				fields[length++] = HttpHeaderNames.HOST;
				fields[length++] = authority;
			}
		}
		return ArrayHttpHeaders.requestFields(fields, length);
	}

	/**
	 * Refuses what HTTP/1.1 would refuse (a name that is no token, a value with CR, LF, NUL or another control
	 * character but HTAB) and what RFC 9113 8.2.2 and RFC 9114 4.2 make malformed: a connection-specific field, and
	 * {@code TE} with another value than {@code trailers}. HTTP/2's codec refuses those two already; HTTP/3's refuses
	 * {@code Connection} and {@code TE} only.
	 */
	private static void checkRequestField(CharSequence name, CharSequence value) {
		NAME_VALIDATOR.validateName(name);
		VALUE_VALIDATOR.validate(value);
		if (HttpHeaderValidationUtil.isConnectionHeader(name, true)) {
			throw new IllegalArgumentException("Connection-specific header field in a request: " + name);
		}
		if (HttpHeaderValidationUtil.isTeNotTrailers(name, value)) {
			throw new IllegalArgumentException("TE other than trailers in a request: " + value);
		}
	}

	/**
	 * A request's trailer fields, as HTTP/1.1's trailer section would carry them, read-only.
	 * @throws IllegalArgumentException for a pseudo-header field (RFC 9113 8.1, RFC 9114 4.3) or a field not valid in
	 * HTTP
	 */
	public static ArrayHttpHeaders requestTrailers(Headers<CharSequence, CharSequence, ?> headers) {
		CharSequence[] fields = new CharSequence[2 * headers.size()];
		int length = 0;
		for (Map.Entry<CharSequence, CharSequence> field : headers) {
			CharSequence name = field.getKey();
			if (isPseudoHeader(name)) {
				throw new IllegalArgumentException("Pseudo-header field in trailers: " + name);
			}
			NAME_VALIDATOR.validateName(name);
			VALUE_VALIDATOR.validate(field.getValue());
			fields[length++] = name;
			fields[length++] = field.getValue();
		}
		return ArrayHttpHeaders.requestFields(fields, length);
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
		// A shared constant for every registered status code: no string per response.
		head.set(STATUS, HttpResponseStatus.valueOf(status).codeAsText());
		return responseFields(fields, head);
	}

	/**
	 * Adds {@code fields} to {@code target} with lower-case names, leaving out the fields that only make sense on one
	 * HTTP/1.1 connection, which HTTP/2 and HTTP/3 messages must not carry (RFC 9113 8.2.2, RFC 9114 4.2): those of
	 * {@code Connection}, {@code Keep-Alive}, {@code Proxy-Connection}, {@code Transfer-Encoding} and {@code Upgrade},
	 * those {@code Connection} names, and a {@code TE} that says more than {@code trailers}, as Netty's HTTP/1-to-2
	 * conversion does. The values are added as they are; names mostly as shared constants ({@link LowerCaseNames}).
	 * @return {@code target}
	 */
	public static <H extends Headers<CharSequence, CharSequence, ?>> H responseFields(HttpHeaders fields, H target) {
		boolean connectionNames = fields.contains(HttpHeaderNames.CONNECTION);
		if (fields instanceof ArrayHttpHeaders array) {
			// A response's fields: read by index, without an iterator and an entry per field.
			for (int i = 0, size = array.size(); i < size; i++) {
				addResponseField(array.nameAt(i), array.valueAt(i), fields, connectionNames, target);
			}
			return target;
		}
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = fields.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> field = it.next();
			addResponseField(field.getKey(), field.getValue(), fields, connectionNames, target);
		}
		return target;
	}

	private static void addResponseField(CharSequence name, CharSequence value, HttpHeaders fields,
			boolean connectionNames, Headers<CharSequence, CharSequence, ?> target) {
		// Both checks ignore case: a field left out is never lower-cased.
		if (HttpHeaderValidationUtil.isConnectionHeader(name, true)
				|| (connectionNames && fields.containsValue(HttpHeaderNames.CONNECTION, name, true))) {
			return;
		}
		if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE)) {
			if (isTrailersList(value) && !target.contains(HttpHeaderNames.TE)) {
				target.add(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
			}
			return;
		}
		target.add(LowerCaseNames.of(name), value);
	}

	/** Whether a {@code TE} value lists {@code trailers}, the one value HTTP/2 and HTTP/3 allow. */
	private static boolean isTrailersList(CharSequence value) {
		for (String element : value.toString().split(",")) {
			if (AsciiString.contentEqualsIgnoreCase(element.trim(), HttpHeaderValues.TRAILERS)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isPseudoHeader(CharSequence name) {
		return name.length() > 0 && name.charAt(0) == ':';
	}

}
