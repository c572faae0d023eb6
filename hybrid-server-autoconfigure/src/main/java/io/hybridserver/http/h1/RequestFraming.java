package io.hybridserver.http.h1;

import io.netty.handler.codec.http.HttpResponseStatus;

import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * The framing-relevant fields of one request head, collected line by line as the decoder meets them, and the body
 * length they decide (RFC 9112 6.1 to 6.3). Every field line of {@code Transfer-Encoding} is one list: the codings are
 * case-insensitive, empty list elements are allowed, and {@code chunked} must be the last coding and appear once.
 * {@code Content-Length} must be one field line of digits. {@code Host} must appear once on HTTP/1.1 (at most once on
 * HTTP/1.0) and hold an RFC 3986 authority without userinfo (RFC 9112 3.2). One instance per decoder, reset per request.
 */
final class RequestFraming {

	/** What {@link #bodyLength} returns for a chunked body. */
	static final long CHUNKED = -1;

	private static final byte[] CHUNKED_NAME = { 'c', 'h', 'u', 'n', 'k', 'e', 'd' };

	private boolean transferEncoding;

	private int chunkedCodings;

	private boolean lastCodingChunked;

	private boolean otherCodings;

	private long contentLength = -1;

	private int hosts;

	void reset() {
		this.transferEncoding = false;
		this.chunkedCodings = 0;
		this.lastCodingChunked = false;
		this.otherCodings = false;
		this.contentLength = -1;
		this.hosts = 0;
	}

	/** A Content-Length field line's value, {@code [from, to)} with surrounding whitespace already trimmed. */
	void contentLength(byte[] buf, int from, int to) {
		if (this.contentLength >= 0) {
			throw RequestFramingException.badRequest("A request must not carry more than one Content-Length");
		}
		if (from == to) {
			throw RequestFramingException.badRequest("Content-Length must be one decimal number");
		}
		long value = 0;
		for (int i = from; i < to; i++) {
			int b = buf[i];
			if (b < '0' || b > '9') {
				throw RequestFramingException.badRequest("Content-Length must be one decimal number");
			}
			if (value > (Long.MAX_VALUE - (b - '0')) / 10) {
				throw RequestFramingException.badRequest("Content-Length is too large");
			}
			value = value * 10 + (b - '0');
		}
		this.contentLength = value;
	}

	/** A Transfer-Encoding field line's value: a comma-separated list of transfer-codings, empty elements allowed. */
	void transferEncoding(byte[] buf, int from, int to) {
		this.transferEncoding = true;
		int p = from;
		while (p <= to) {
			int elementEnd = HttpSyntax.indexOf(buf, p, to, ',');
			if (elementEnd < 0) {
				elementEnd = to;
			}
			int start = HttpSyntax.skipWhitespace(buf, p, elementEnd);
			int end = HttpSyntax.trimEnd(buf, start, elementEnd);
			if (start < end) {
				coding(buf, start, end);
			}
			p = elementEnd + 1;
		}
	}

	private void coding(byte[] buf, int from, int to) {
		int nameEnd = HttpSyntax.tokenEnd(buf, from, to);
		if (nameEnd == from) {
			throw RequestFramingException.badRequest("Transfer-Encoding holds something that is not a transfer coding");
		}
		if (nameEnd < to) {
			int next = HttpSyntax.skipWhitespace(buf, nameEnd, to);
			if (buf[next] != ';') {
				throw RequestFramingException
					.badRequest("Transfer-Encoding holds something that is not a transfer coding");
			}
			// A coding with parameters is never chunked (which has none); what follows is not interpreted, since a
			// request that carries it is refused whatever the parameters say.
		}
		if (nameEnd == to && isChunked(buf, from, to)) {
			this.chunkedCodings++;
			this.lastCodingChunked = true;
		}
		else {
			this.lastCodingChunked = false;
			this.otherCodings = true;
		}
	}

	private static boolean isChunked(byte[] buf, int from, int to) {
		if (to - from != CHUNKED_NAME.length) {
			return false;
		}
		for (int i = 0; i < CHUNKED_NAME.length; i++) {
			if ((buf[from + i] | 0x20) != CHUNKED_NAME[i]) {
				return false;
			}
		}
		return true;
	}

	/** A Host field line's value. */
	void host(byte[] buf, int from, int to) {
		if (++this.hosts > 1) {
			throw RequestFramingException.badRequest("A request must not carry more than one Host header");
		}
		if (!HttpSyntax.isHostAndPort(buf, from, to)) {
			throw RequestFramingException.badRequest("The Host header must be a host name or address and a port");
		}
	}

	/**
	 * Decides the body once the head is complete.
	 * @return the body's length in bytes (0 for none), or {@link #CHUNKED}
	 */
	long bodyLength(boolean http11) {
		if (this.hosts == 0 && http11) {
			throw RequestFramingException.badRequest("An HTTP/1.1 request needs exactly one Host header");
		}
		if (!this.transferEncoding) {
			return Math.max(0, this.contentLength);
		}
		if (!http11) {
			// RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
			throw RequestFramingException.badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request");
		}
		if (this.contentLength >= 0) {
			throw RequestFramingException
				.badRequest("A request must not carry both Transfer-Encoding and Content-Length");
		}
		if (this.chunkedCodings > 1) {
			throw RequestFramingException.badRequest("Transfer-Encoding must name chunked only once");
		}
		if (!this.lastCodingChunked) {
			// RFC 9112 6.3: without chunked as the final coding the request's length cannot be determined.
			throw RequestFramingException.badRequest("Transfer-Encoding must end with chunked");
		}
		if (this.otherCodings) {
			throw new RequestFramingException(HttpResponseStatus.NOT_IMPLEMENTED, Rejection.BAD_REQUEST,
					"No transfer coding but chunked is implemented");
		}
		return CHUNKED;
	}

}
