package io.hybridserver.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ByteProcessor;

import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * Decodes HTTP/1.1 requests from bytes, by our own rules rather than the Netty release the application happens to get
 * (Spring Boot's managed Netty may be older and more lenient than the one this server is tested with). It emits what
 * Netty's {@code HttpRequestDecoder} emits, so the connection handler is unchanged: an {@link HttpRequest} per head,
 * then {@link io.netty.handler.codec.http.HttpContent}s that are retained slices of the input, and a
 * {@link LastHttpContent} (with the trailers of a chunked body).
 *
 * <p>The rules, from RFC 9112 and RFC 9110, each violation a terminal state: the decoder emits one message with a
 * failed {@link DecoderResult} whose cause is a {@link RequestFramingException} naming the status (a head with it
 * before the head was complete, else a last content), and ignores every byte after it.
 * <ul>
 * <li>Lines end in CRLF. A bare LF and a bare CR are refused (400): RFC 9112 2.2 lets a server accept a bare LF, but
 * a server that accepts what a proxy in front of it reads differently is how requests are smuggled. Up to
 * {@value #MAX_EMPTY_LINES} empty lines before a request-line are skipped (RFC 9112 2.2).</li>
 * <li>Request-line: a token method, one SP, a request-target of visible ASCII without '#', one SP, {@code HTTP/1.1}
 * or {@code HTTP/1.0} exactly. Another well-formed {@code HTTP/d.d} gets 505; a line over the limit 414. The target is
 * origin-form, absolute-form ({@code http} or {@code https}, with an authority without userinfo) or, for OPTIONS, an
 * asterisk.</li>
 * <li>Field lines: a token name directly followed by ':', a value of VCHAR, obs-text, SP and HTAB, trimmed; obs-fold
 * is refused. A header section over the limit gets 431.</li>
 * <li>Framing and Host: see {@link RequestFraming}.</li>
 * <li>Chunked bodies: chunk-size is 1*HEXDIG that fits a long, chunk extensions follow RFC 9112 7.1.1 exactly, CRLF
 * ends the size line and each chunk's data; the trailer section is parsed as the header section is, with its own
 * budget of the header limit, and framing fields in it are dropped.</li>
 * </ul>
 */
final class Http1RequestDecoder extends ByteToMessageDecoder {

	/** Empty lines skipped before a request-line (RFC 9112 2.2: "at least one"); a few old clients send two. */
	static final int MAX_EMPTY_LINES = 4;

	/** Longest chunk-size line with its extensions (Tomcat's default {@code maxExtensionSize} is the same). */
	static final int MAX_CHUNK_LINE_LENGTH = 8 * 1024;

	private static final int TOO_LONG = -2;

	private static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

	private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory()
		.withValidation(false);

	private enum State {

		REQUEST_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, FAILED

	}

	private final int maxRequestLineLength;

	private final int maxHeaderSize;

	private final int maxChunkSize;

	private final RequestFraming framing = new RequestFraming();

	private State state = State.REQUEST_LINE;

	private int emptyLines;

	/** Bytes of field lines so far in the header or trailer section. */
	private int sectionSize;

	private HttpMethod method;

	private String target;

	private HttpVersion version;

	private HttpHeaders headers;

	private long remaining;

	/** Bytes of the line at the reader index already scanned for its LF. */
	private int scanned;

	Http1RequestDecoder(HttpServerConfig config) {
		this(config.getMaxRequestLineLength(), config.getMaxHeaderSize(), config.getMaxChunkSize());
	}

	Http1RequestDecoder(int maxRequestLineLength, int maxHeaderSize, int maxChunkSize) {
		this.maxRequestLineLength = maxRequestLineLength;
		this.maxHeaderSize = maxHeaderSize;
		this.maxChunkSize = maxChunkSize;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		try {
			while (step(in, out)) {
				// Each step consumed a line or a piece of body; go on while the buffer holds more.
			}
		}
		catch (RequestFramingException ex) {
			fail(in, out, ex);
		}
	}

	/** Does one thing the state asks for; {@code false} when it needs more bytes (or is done for good). */
	private boolean step(ByteBuf in, List<Object> out) {
		switch (this.state) {
			case REQUEST_LINE:
				return requestLine(in);
			case HEADERS:
				return fieldLine(in, out);
			case FIXED_BODY:
				return fixedBody(in, out);
			case CHUNK_SIZE:
				return chunkSize(in);
			case CHUNK_DATA:
				return chunkData(in, out);
			case CHUNK_DATA_END:
				return chunkDataEnd(in);
			case TRAILERS:
				return fieldLine(in, out);
			default:
				in.skipBytes(in.readableBytes());
				return false;
		}
	}

	// ---- lines

	/**
	 * Finds the line at the reader index.
	 * @return the index of its CR (the line is {@code [readerIndex, cr)}), -1 when it is not complete yet, or
	 * {@link #TOO_LONG} when it is longer than {@code maxLength} without its CRLF
	 */
	private int lineEnd(ByteBuf in, int maxLength) {
		int start = in.readerIndex();
		int readable = in.readableBytes();
		int window = Math.min(readable, maxLength + 2);
		// A line arriving in pieces (a slow client) is scanned once, not again from its start for every piece.
		int from = Math.min(this.scanned, window);
		int lf = in.forEachByte(start + from, window - from, ByteProcessor.FIND_LF);
		if (lf < 0) {
			this.scanned = window;
			return (readable >= maxLength + 2) ? TOO_LONG : -1;
		}
		this.scanned = 0;
		if (lf == start || in.getByte(lf - 1) != '\r') {
			throw RequestFramingException.badRequest("Lines must end with CRLF, not a bare LF");
		}
		return lf - 1;
	}

	private boolean requestLine(ByteBuf in) {
		int start = in.readerIndex();
		int cr = lineEnd(in, this.maxRequestLineLength);
		if (cr == TOO_LONG) {
			throw new RequestFramingException(HttpResponseStatus.REQUEST_URI_TOO_LONG, Rejection.URI_TOO_LONG,
					"The request line is longer than " + this.maxRequestLineLength + " bytes");
		}
		if (cr < 0) {
			return false;
		}
		if (cr == start) {
			if (++this.emptyLines > MAX_EMPTY_LINES) {
				throw RequestFramingException.badRequest("Too many empty lines before the request line");
			}
			in.skipBytes(2);
			return true;
		}
		int methodEnd = in.forEachByte(start, cr - start, HttpSyntax.FIND_NON_TCHAR);
		if (methodEnd <= start || in.getByte(methodEnd) != ' ') {
			throw RequestFramingException.badRequest("The request line must start with a method and one space");
		}
		int targetStart = methodEnd + 1;
		int targetEnd = in.forEachByte(targetStart, cr - targetStart, HttpSyntax.FIND_NON_TARGET);
		if (targetEnd < 0 || in.getByte(targetEnd) != ' ') {
			throw RequestFramingException.badRequest(targetEnd < 0 ? "The request line has no HTTP version"
					: "The request target must be visible ASCII, without a fragment, followed by one space");
		}
		if (targetEnd == targetStart) {
			throw RequestFramingException.badRequest("The request line must separate its parts with one space");
		}
		this.version = version(in, targetEnd + 1, cr);
		this.method = KnownNames.method(in, start, methodEnd);
		checkTargetForm(in, targetStart, targetEnd, this.method);
		this.target = in.toString(targetStart, targetEnd - targetStart, StandardCharsets.ISO_8859_1);
		in.skipBytes(cr + 2 - start);
		this.emptyLines = 0;
		this.sectionSize = 0;
		this.headers = HEADERS.newHeaders();
		this.state = State.HEADERS;
		return true;
	}

	private static HttpVersion version(ByteBuf in, int from, int to) {
		if (to - from == 8 && in.getByte(from) == 'H' && in.getByte(from + 1) == 'T' && in.getByte(from + 2) == 'T'
				&& in.getByte(from + 3) == 'P' && in.getByte(from + 4) == '/' && isDigit(in.getByte(from + 5))
				&& in.getByte(from + 6) == '.' && isDigit(in.getByte(from + 7))) {
			if (in.getByte(from + 5) == '1' && in.getByte(from + 7) == '1') {
				return HttpVersion.HTTP_1_1;
			}
			if (in.getByte(from + 5) == '1' && in.getByte(from + 7) == '0') {
				return HttpVersion.HTTP_1_0;
			}
			throw new RequestFramingException(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, Rejection.BAD_REQUEST,
					"Only HTTP/1.0 and HTTP/1.1 are spoken on this connection");
		}
		throw RequestFramingException.badRequest("The request line must end with HTTP/1.1 or HTTP/1.0");
	}

	private static boolean isDigit(int b) {
		return b >= '0' && b <= '9';
	}

	/**
	 * Origin-form ("/..."), absolute-form ({@code http://authority...} or {@code https://...}, RFC 9112 3.2.2) or, for
	 * OPTIONS, asterisk-form. The authority-form of CONNECT is refused: this server is no proxy.
	 */
	private static void checkTargetForm(ByteBuf in, int from, int to, HttpMethod method) {
		int first = in.getByte(from);
		if (first == '/') {
			return;
		}
		if (first == '*' && to - from == 1) {
			if (!HttpMethod.OPTIONS.equals(method)) {
				throw RequestFramingException.badRequest("Only OPTIONS may have * as its request target");
			}
			return;
		}
		int authorityStart = schemeEnd(in, from, to);
		if (authorityStart < 0) {
			throw RequestFramingException.badRequest("The request target must be a path starting with /");
		}
		int authorityEnd = authorityStart;
		while (authorityEnd < to && in.getByte(authorityEnd) != '/' && in.getByte(authorityEnd) != '?') {
			authorityEnd++;
		}
		if (in.indexOf(authorityStart, authorityEnd, (byte) '@') >= 0) {
			throw RequestFramingException.badRequest("The request target must not carry user information");
		}
		if (authorityEnd == authorityStart || !HttpSyntax.isHostAndPort(in, authorityStart, authorityEnd)) {
			throw RequestFramingException.badRequest("The request target's authority must be a host and a port");
		}
	}

	/** The index after {@code http://} or {@code https://} (any case) at {@code from}, or -1. */
	private static int schemeEnd(ByteBuf in, int from, int to) {
		int p = from;
		if (to - p < 7 || (in.getByte(p) | 0x20) != 'h' || (in.getByte(p + 1) | 0x20) != 't'
				|| (in.getByte(p + 2) | 0x20) != 't' || (in.getByte(p + 3) | 0x20) != 'p') {
			return -1;
		}
		p += 4;
		if ((in.getByte(p) | 0x20) == 's') {
			p++;
		}
		if (to - p < 3 || in.getByte(p) != ':' || in.getByte(p + 1) != '/' || in.getByte(p + 2) != '/') {
			return -1;
		}
		return p + 3;
	}

	/** A header or trailer field line, or the empty line that ends the section. */
	private boolean fieldLine(ByteBuf in, List<Object> out) {
		int start = in.readerIndex();
		int budget = this.maxHeaderSize - this.sectionSize;
		int cr = lineEnd(in, Math.max(0, budget));
		if (cr == TOO_LONG) {
			throw new RequestFramingException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
					Rejection.HEADERS_TOO_LARGE,
					"The request header fields are larger than " + this.maxHeaderSize + " bytes");
		}
		if (cr < 0) {
			return false;
		}
		in.skipBytes(cr + 2 - start);
		if (cr == start) {
			if (this.state == State.HEADERS) {
				headEnded(out);
			}
			else {
				trailersEnded(out);
			}
			return true;
		}
		this.sectionSize += cr - start;
		if (HttpSyntax.isWhitespace(in.getByte(start))) {
			throw RequestFramingException.badRequest("Header values must not be folded over several lines");
		}
		int colon = in.forEachByte(start, cr - start, HttpSyntax.FIND_NON_TCHAR);
		if (colon < 0 || in.getByte(colon) != ':') {
			throw RequestFramingException.badRequest((colon > 0 && HttpSyntax.isWhitespace(in.getByte(colon)))
					? "A header name must be followed by ':' without whitespace"
					: "A header line must be a token name, ':' and a value");
		}
		if (colon == start) {
			throw RequestFramingException.badRequest("A header line must have a name");
		}
		int valueStart = HttpSyntax.skipWhitespace(in, colon + 1, cr);
		int valueEnd = cr;
		while (valueEnd > valueStart && HttpSyntax.isWhitespace(in.getByte(valueEnd - 1))) {
			valueEnd--;
		}
		if (in.forEachByte(valueStart, valueEnd - valueStart, HttpSyntax.FIND_NON_FIELD_VALUE) >= 0) {
			throw RequestFramingException.badRequest("A header value holds a control character");
		}
		AsciiString name = KnownNames.headerName(in, start, colon);
		if (this.state == State.HEADERS) {
			if (is(name, HttpHeaderNames.CONTENT_LENGTH)) {
				this.framing.contentLength(in, valueStart, valueEnd);
			}
			else if (is(name, HttpHeaderNames.TRANSFER_ENCODING)) {
				this.framing.transferEncoding(in, valueStart, valueEnd);
			}
			else if (is(name, HttpHeaderNames.HOST)) {
				this.framing.host(in, valueStart, valueEnd);
			}
		}
		else if (is(name, HttpHeaderNames.CONTENT_LENGTH) || is(name, HttpHeaderNames.TRANSFER_ENCODING)
				|| is(name, HttpHeaderNames.HOST) || is(name, HttpHeaderNames.TRAILER)) {
			// RFC 9110 6.5.1: fields that frame or route a message are no trailers; they are dropped, not obeyed.
			return true;
		}
		if (this.headers == null) {
			this.headers = TRAILERS.newHeaders();
		}
		this.headers.add(name, in.toString(valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
		return true;
	}

	/** Whether a header name is the given lower-case one; the length test settles almost every other name. */
	private static boolean is(AsciiString name, AsciiString lowerCase) {
		return name.length() == lowerCase.length() && name.contentEqualsIgnoreCase(lowerCase);
	}

	private void headEnded(List<Object> out) {
		long length = this.framing.bodyLength(this.version == HttpVersion.HTTP_1_1);
		HttpRequest request = new DefaultHttpRequest(this.version, this.method, this.target, this.headers, false);
		out.add(request);
		this.headers = null;
		this.method = null;
		this.target = null;
		this.framing.reset();
		if (length == RequestFraming.CHUNKED) {
			this.state = State.CHUNK_SIZE;
		}
		else if (length > 0) {
			this.remaining = length;
			this.state = State.FIXED_BODY;
		}
		else {
			out.add(LastHttpContent.EMPTY_LAST_CONTENT);
			this.state = State.REQUEST_LINE;
		}
	}

	private void trailersEnded(List<Object> out) {
		HttpHeaders trailers = this.headers;
		this.headers = null;
		out.add((trailers == null) ? LastHttpContent.EMPTY_LAST_CONTENT
				: new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
		this.state = State.REQUEST_LINE;
	}

	// ---- bodies

	private boolean fixedBody(ByteBuf in, List<Object> out) {
		int readable = in.readableBytes();
		if (readable == 0) {
			return false;
		}
		int size = (int) Math.min(Math.min(readable, this.remaining), this.maxChunkSize);
		ByteBuf piece = in.readRetainedSlice(size);
		this.remaining -= size;
		if (this.remaining == 0) {
			out.add(new DefaultLastHttpContent(piece, TRAILERS));
			this.state = State.REQUEST_LINE;
		}
		else {
			out.add(new DefaultHttpContent(piece));
		}
		return true;
	}

	private boolean chunkSize(ByteBuf in) {
		int start = in.readerIndex();
		int cr = lineEnd(in, MAX_CHUNK_LINE_LENGTH);
		if (cr == TOO_LONG) {
			throw RequestFramingException.badRequest("A chunk-size line is longer than " + MAX_CHUNK_LINE_LENGTH + " bytes");
		}
		if (cr < 0) {
			return false;
		}
		long size = 0;
		int p = start;
		while (p < cr && HttpSyntax.isHex(in.getByte(p))) {
			if (size > (Long.MAX_VALUE >> 4)) {
				throw RequestFramingException.badRequest("A chunk size is too large");
			}
			size = (size << 4) | HttpSyntax.hexValue(in.getByte(p));
			p++;
		}
		if (p == start) {
			throw RequestFramingException.badRequest("A chunk must start with its size in hexadecimal");
		}
		checkChunkExtensions(in, p, cr);
		in.skipBytes(cr + 2 - start);
		if (size == 0) {
			this.sectionSize = 0;
			this.headers = null;
			this.state = State.TRAILERS;
		}
		else {
			this.remaining = size;
			this.state = State.CHUNK_DATA;
		}
		return true;
	}

	/** {@code *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )}, exactly (RFC 9112 7.1.1). */
	private static void checkChunkExtensions(ByteBuf in, int from, int to) {
		int p = from;
		while (p < to) {
			p = HttpSyntax.skipWhitespace(in, p, to);
			if (p == to || in.getByte(p) != ';') {
				throw RequestFramingException.badRequest("A chunk size may only be followed by chunk extensions");
			}
			p = HttpSyntax.skipWhitespace(in, p + 1, to);
			int nameEnd = HttpSyntax.tokenEnd(in, p, to);
			if (nameEnd == p) {
				throw RequestFramingException.badRequest("A chunk extension must have a token name");
			}
			p = nameEnd;
			int afterSpace = HttpSyntax.skipWhitespace(in, p, to);
			if (afterSpace < to && in.getByte(afterSpace) == '=') {
				int valueStart = HttpSyntax.skipWhitespace(in, afterSpace + 1, to);
				int valueEnd = (valueStart < to && in.getByte(valueStart) == '"')
						? HttpSyntax.quotedStringEnd(in, valueStart, to) : HttpSyntax.tokenEnd(in, valueStart, to);
				if (valueEnd <= valueStart) {
					throw RequestFramingException.badRequest("A chunk extension's value must be a token or quoted");
				}
				p = valueEnd;
			}
		}
	}

	private boolean chunkData(ByteBuf in, List<Object> out) {
		int readable = in.readableBytes();
		if (readable == 0) {
			return false;
		}
		int size = (int) Math.min(Math.min(readable, this.remaining), this.maxChunkSize);
		out.add(new DefaultHttpContent(in.readRetainedSlice(size)));
		this.remaining -= size;
		if (this.remaining == 0) {
			this.state = State.CHUNK_DATA_END;
		}
		return true;
	}

	private boolean chunkDataEnd(ByteBuf in) {
		if (in.readableBytes() < 2) {
			if (in.isReadable() && in.getByte(in.readerIndex()) != '\r') {
				throw RequestFramingException.badRequest("A chunk's data must be followed by CRLF");
			}
			return false;
		}
		int start = in.readerIndex();
		if (in.getByte(start) != '\r' || in.getByte(start + 1) != '\n') {
			throw RequestFramingException.badRequest("A chunk's data must be followed by CRLF");
		}
		in.skipBytes(2);
		this.state = State.CHUNK_SIZE;
		return true;
	}

	// ---- failure

	private void fail(ByteBuf in, List<Object> out, RequestFramingException cause) {
		boolean inBody = this.state != State.REQUEST_LINE && this.state != State.HEADERS;
		this.state = State.FAILED;
		this.headers = null;
		this.method = null;
		this.target = null;
		this.framing.reset();
		in.skipBytes(in.readableBytes());
		if (inBody) {
			LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, TRAILERS);
			last.setDecoderResult(DecoderResult.failure(cause));
			out.add(last);
		}
		else {
			HttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request",
					HEADERS.newHeaders(), false);
			bad.setDecoderResult(DecoderResult.failure(cause));
			out.add(bad);
		}
	}

}
