package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;

import io.hybridserver.http.ArrayHttpHeaders;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * Decodes HTTP/1.1 requests from bytes, by our own rules rather than the Netty release the application happens to get
 * (Spring Boot's managed Netty may be older and more lenient than the one this server is tested with). It emits what
 * Netty's {@code HttpRequestDecoder} emits, so the connection handler is unchanged: an {@link HttpRequest} per head,
 * then {@link io.netty.handler.codec.http.HttpContent}s that are retained slices of the input, and a
 * {@link LastHttpContent} (with the trailers of a chunked body). The head's fields are an {@link ArrayHttpHeaders}:
 * read-only, one array per request rather than a hash table, with the previous request's strings reused for the
 * target and for field lines that repeat on the connection.
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

	/** Room for eight fields in the array a head's fields are collected in; most requests have fewer. */
	private static final int INITIAL_FIELDS = 16;

	/** Beyond 64 fields the grown array is let go after the head. */
	private static final int MAX_KEPT_FIELDS = 128;

	/**
	 * Each line of a head is copied here once, in bulk, and parsed from the array. One per event loop: a line is parsed
	 * within one call of decode, and nothing keeps a reference to the array after it.
	 */
	private static final FastThreadLocal<byte[]> LINE = new FastThreadLocal<>() {

		@Override
		protected byte[] initialValue() {
			return new byte[1024];
		}

	};

	private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory()
		.withValidation(false);

	private enum State {

		REQUEST_LINE, HEADERS, FIXED_BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, FAILED,

		/** After an upgrade request: what follows may be another protocol's bytes, kept until the answer says. */
		UPGRADE_HELD

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

	/**
	 * The head's fields as they are decoded, names and values in turn: one array per connection, copied to the exact
	 * size once the head ends ({@link ArrayHttpHeaders}).
	 */
	private CharSequence[] fields = new CharSequence[INITIAL_FIELDS];

	/** Elements of {@link #fields} in use. */
	private int fieldCount;

	/**
	 * The previous request's target and fields on this connection. A client sends the same target and mostly the same
	 * field lines again and again (Host, User-Agent, Accept...): a line whose bytes equal the previous request's is
	 * given the same immutable string instead of a new one, as Jetty's per-connection field cache does.
	 */
	private String previousTarget;

	private CharSequence[] previousFields = new CharSequence[0];

	/** A chunked body's trailer fields, rare enough for Netty's own headers. */
	private HttpHeaders trailers;

	private long remaining;

	/** This thread's {@link #LINE} while {@link #decode} runs, else {@code null}. */
	private byte[] line;

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
		this.line = LINE.get();
		try {
			while (step(in, out)) {
				// Each step consumed a line or a piece of body; go on while the buffer holds more.
			}
		}
		catch (RequestFramingException ex) {
			fail(in, out, ex);
		}
		finally {
			this.line = null;
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
			case UPGRADE_HELD:
				return false;
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
		// In long arithmetic: a limit configured near Integer.MAX_VALUE must not wrap.
		int window = (int) Math.min(readable, maxLength + 2L);
		// A line arriving in pieces (a slow client) is scanned once, not again from its start for every piece.
		int from = Math.min(this.scanned, window);
		// indexOf reads eight bytes at a time (SWAR); a ByteProcessor would look at them one by one.
		int lf = in.indexOf(start + from, start + window, (byte) '\n');
		if (lf < 0) {
			this.scanned = window;
			return (readable >= maxLength + 2L) ? TOO_LONG : -1;
		}
		this.scanned = 0;
		if (lf == start || in.getByte(lf - 1) != '\r') {
			throw RequestFramingException.badRequest("Lines must end with CRLF, not a bare LF");
		}
		return lf - 1;
	}

	/** The bytes {@code [start, end)} of {@code in}, copied to the start of this thread's line array. */
	private byte[] copyLine(ByteBuf in, int start, int end) {
		byte[] line = this.line;
		int length = end - start;
		if (line.length < length) {
			line = new byte[Math.max(length, line.length * 2)];
			LINE.set(line);
			this.line = line;
		}
		ViewlessCopy.read(in, start, line, length);
		return line;
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
		int length = cr - start;
		byte[] line = copyLine(in, start, cr);
		int methodEnd = HttpSyntax.tokenEnd(line, 0, length);
		if (methodEnd == 0 || methodEnd == length || line[methodEnd] != ' ') {
			throw RequestFramingException.badRequest("The request line must start with a method and one space");
		}
		int targetStart = methodEnd + 1;
		int targetEnd = HttpSyntax.targetEnd(line, targetStart, length);
		if (targetEnd == length || line[targetEnd] != ' ') {
			throw RequestFramingException.badRequest(targetEnd == length ? "The request line has no HTTP version"
					: "The request target must be visible ASCII, without a fragment, followed by one space");
		}
		if (targetEnd == targetStart) {
			throw RequestFramingException.badRequest("The request line must separate its parts with one space");
		}
		this.version = version(line, targetEnd + 1, length);
		this.method = KnownNames.method(line, 0, methodEnd);
		RequestTargetForm.check(line, targetStart, targetEnd, this.method);
		this.target = target(line, targetStart, targetEnd);
		in.skipBytes(cr + 2 - start);
		this.emptyLines = 0;
		this.sectionSize = 0;
		this.fieldCount = 0;
		this.state = State.HEADERS;
		return true;
	}

	/** The target as a string: the previous request's when the bytes are the same. */
	private String target(byte[] line, int from, int to) {
		String previous = this.previousTarget;
		if (previous != null && sameText(previous, line, from, to)) {
			return previous;
		}
		String target = new String(line, from, to - from, StandardCharsets.ISO_8859_1);
		this.previousTarget = target;
		return target;
	}

	/** Whether {@code text} is the ISO-8859-1 reading of {@code [from, to)}. */
	private static boolean sameText(String text, byte[] bytes, int from, int to) {
		if (text.length() != to - from) {
			return false;
		}
		for (int i = from; i < to; i++) {
			if (text.charAt(i - from) != (char) (bytes[i] & 0xff)) {
				return false;
			}
		}
		return true;
	}

	private static HttpVersion version(byte[] b, int from, int to) {
		if (to - from == 8 && b[from] == 'H' && b[from + 1] == 'T' && b[from + 2] == 'T' && b[from + 3] == 'P'
				&& b[from + 4] == '/' && isDigit(b[from + 5]) && b[from + 6] == '.' && isDigit(b[from + 7])) {
			if (b[from + 5] == '1' && b[from + 7] == '1') {
				return HttpVersion.HTTP_1_1;
			}
			if (b[from + 5] == '1' && b[from + 7] == '0') {
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
		int length = cr - start;
		this.sectionSize += length;
		byte[] line = copyLine(in, start, cr);
		if (HttpSyntax.isWhitespace(line[0])) {
			throw RequestFramingException.badRequest("Header values must not be folded over several lines");
		}
		int colon = HttpSyntax.tokenEnd(line, 0, length);
		if (colon == length || line[colon] != ':') {
			throw RequestFramingException.badRequest((colon < length && HttpSyntax.isWhitespace(line[colon]))
					? "A header name must be followed by ':' without whitespace"
					: "A header line must be a token name, ':' and a value");
		}
		if (colon == 0) {
			throw RequestFramingException.badRequest("A header line must have a name");
		}
		int valueStart = HttpSyntax.skipWhitespace(line, colon + 1, length);
		int valueEnd = HttpSyntax.trimEnd(line, valueStart, length);
		if (!HttpSyntax.isFieldValue(line, valueStart, valueEnd)) {
			throw RequestFramingException.badRequest("A header value holds a control character");
		}
		AsciiString name = (this.state == State.HEADERS) ? fieldName(line, colon)
				: KnownNames.headerName(line, 0, colon);
		if (this.state == State.HEADERS) {
			if (is(name, HttpHeaderNames.CONTENT_LENGTH)) {
				this.framing.contentLength(line, valueStart, valueEnd);
			}
			else if (is(name, HttpHeaderNames.TRANSFER_ENCODING)) {
				this.framing.transferEncoding(line, valueStart, valueEnd);
			}
			else if (is(name, HttpHeaderNames.HOST)) {
				this.framing.host(line, valueStart, valueEnd);
			}
		}
		else if (is(name, HttpHeaderNames.CONTENT_LENGTH) || is(name, HttpHeaderNames.TRANSFER_ENCODING)
				|| is(name, HttpHeaderNames.HOST) || is(name, HttpHeaderNames.TRAILER)) {
			// RFC 9110 6.5.1: fields that frame or route a message are no trailers; they are dropped, not obeyed.
			return true;
		}
		if (this.state == State.HEADERS) {
			addField(name, line, valueStart, valueEnd);
			return true;
		}
		if (this.trailers == null) {
			this.trailers = TRAILERS.newHeaders();
		}
		this.trailers.add(name, new String(line, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
		return true;
	}

	/**
	 * The name of the head's next field, {@code [0, colon)}: the previous request's name object when that request had
	 * the same name in the same place (an application's own names are new objects otherwise), else a known constant or
	 * a new name.
	 */
	private AsciiString fieldName(byte[] line, int colon) {
		int at = this.fieldCount;
		CharSequence[] previous = this.previousFields;
		if (at < previous.length && previous[at] instanceof AsciiString name && name.length() == colon
				&& Arrays.equals(line, 0, colon, name.array(), name.arrayOffset(), name.arrayOffset() + colon)) {
			return name;
		}
		return KnownNames.headerName(line, 0, colon);
	}

	/**
	 * Adds a field of the head. Its value is the previous request's string when that request had the same line in
	 * the same place; the header size limit bounds how far the array grows.
	 */
	private void addField(AsciiString name, byte[] line, int valueStart, int valueEnd) {
		int at = this.fieldCount;
		CharSequence[] previous = this.previousFields;
		String value = null;
		if (at + 1 < previous.length && sameName(previous[at], name)
				&& sameText((String) previous[at + 1], line, valueStart, valueEnd)) {
			value = (String) previous[at + 1];
		}
		if (value == null) {
			value = new String(line, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1);
		}
		if (at + 2 > this.fields.length) {
			this.fields = Arrays.copyOf(this.fields, this.fields.length * 2);
		}
		this.fields[at] = name;
		this.fields[at + 1] = value;
		this.fieldCount = at + 2;
	}

	/** The same name in the same spelling: a known name is one shared constant, any other compares by content. */
	private static boolean sameName(CharSequence previous, AsciiString name) {
		return previous == name || name.contentEquals(previous);
	}

	/** Whether a header name is the given lower-case one; the length test settles almost every other name. */
	private static boolean is(AsciiString name, AsciiString lowerCase) {
		return name.length() == lowerCase.length() && name.contentEqualsIgnoreCase(lowerCase);
	}

	private void headEnded(List<Object> out) {
		long length = this.framing.bodyLength(this.version == HttpVersion.HTTP_1_1);
		CharSequence[] fields = Arrays.copyOf(this.fields, this.fieldCount);
		HttpRequest request = new DefaultHttpRequest(this.version, this.method, this.target,
				ArrayHttpHeaders.requestFields(fields), false);
		out.add(request);
		this.previousFields = fields;
		this.fieldCount = 0;
		if (this.fields.length > MAX_KEPT_FIELDS) {
			// A head of very many small fields grew the array: an idle connection does not keep it.
			this.fields = new CharSequence[INITIAL_FIELDS];
		}
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
			this.state = holdsAfter(request) ? State.UPGRADE_HELD : State.REQUEST_LINE;
		}
	}

	/**
	 * Whether the bytes after this request (which has no body) wait, undecoded, for its answer: an HTTP/1.1 request
	 * that asks to switch protocols ({@code Upgrade}, and {@code Upgrade} named in {@code Connection}), whichever
	 * protocol it names. What follows it may be the new protocol's bytes (RFC 9110 7.8): an h2c client's connection
	 * preface sent early, or WebSocket frames. If the request is switched (a {@code 101}, for WebSocket from the
	 * application, for h2c from the connection at once) they belong to the new protocol: the decoder is removed and
	 * hands them on. Otherwise {@link #resume} parses them as HTTP once the request has been answered. One rule for
	 * every protocol, so that whoever takes the connection over finds every byte after the request.
	 */
	static boolean holdsAfter(HttpRequest request) {
		HttpHeaders headers = request.headers();
		return HttpVersion.HTTP_1_1.equals(request.protocolVersion()) && headers.contains(HttpHeaderNames.UPGRADE)
				&& headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
	}

	/** Loop: the upgrade request was answered without a switch: parse what came after it as HTTP again. */
	void resume(ChannelHandlerContext ctx) throws Exception {
		if (this.state != State.UPGRADE_HELD) {
			return;
		}
		this.state = State.REQUEST_LINE;
		// An empty read makes the decoder go over what it holds; what it decodes goes on down the pipeline.
		channelRead(ctx, Unpooled.EMPTY_BUFFER);
		channelReadComplete(ctx);
	}

	private void trailersEnded(List<Object> out) {
		HttpHeaders trailers = this.trailers;
		this.trailers = null;
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
			// No trailers after a body of declared length: the shared empty fields, not a header table per body.
			out.add(new DefaultLastHttpContent(piece, ArrayHttpHeaders.EMPTY));
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
		int length = cr - start;
		byte[] line = copyLine(in, start, cr);
		long size = 0;
		int p = 0;
		while (p < length && HttpSyntax.isHex(line[p])) {
			if (size > (Long.MAX_VALUE >> 4)) {
				throw RequestFramingException.badRequest("A chunk size is too large");
			}
			size = (size << 4) | HttpSyntax.hexValue(line[p]);
			p++;
		}
		if (p == 0) {
			throw RequestFramingException.badRequest("A chunk must start with its size in hexadecimal");
		}
		if (!HttpSyntax.isChunkExtensions(line, p, length)) {
			throw RequestFramingException.badRequest("A chunk size may only be followed by chunk extensions");
		}
		in.skipBytes(cr + 2 - start);
		if (size == 0) {
			this.sectionSize = 0;
			this.trailers = null;
			this.state = State.TRAILERS;
		}
		else {
			this.remaining = size;
			this.state = State.CHUNK_DATA;
		}
		return true;
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
		this.fieldCount = 0;
		this.trailers = null;
		this.method = null;
		this.target = null;
		this.framing.reset();
		in.skipBytes(in.readableBytes());
		if (inBody) {
			LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, ArrayHttpHeaders.EMPTY);
			last.setDecoderResult(DecoderResult.failure(cause));
			out.add(last);
		}
		else {
			HttpRequest bad = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request",
					ArrayHttpHeaders.EMPTY, false);
			bad.setDecoderResult(DecoderResult.failure(cause));
			out.add(bad);
		}
	}

}
