package io.hybridserver.http.h3;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http3.Http3Headers;

import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.NettyHttpFields;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.QueuedResponseExchange;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.StreamingRequestBody;

/**
 * An {@link io.hybridserver.http.Exchange} on one HTTP/3 request stream. The response side is
 * {@link QueuedResponseExchange}'s, as for HTTP/1.1 and HTTP/2; on the wire the head is a HEADERS frame, the body DATA
 * frames, the end a FIN on the stream, and an abort resets the stream alone.
 *
 * <p>The request body is read from QUIC only while its buffer has room ({@link StreamingRequestBody#wantsMore()}, as
 * HTTP/1.1 pauses its socket): what is not read stays unacknowledged in QUIC's stream flow control, so the client is
 * held back by its stream and connection credit instead of being buffered here.
 */
final class H3Exchange extends QueuedResponseExchange<Http3Headers> {

	private static final String PROTOCOL = "HTTP/3";

	private final H3Stream stream;

	private final String method;

	private final String target;

	private final boolean expectContinue;

	private final String serverHeader;

	private volatile boolean streamOpen = true;

	// Event-loop state.
	boolean dispatched;

	boolean headSent;

	boolean continueSent;

	private boolean refused;

	/** @throws IllegalArgumentException if the request's fields are not valid HTTP (a malformed request) */
	H3Exchange(H3Stream stream, Http3Headers headers, ResponseLane lane, ByteBufAllocator allocator,
			HttpServerConfig config) {
		this(stream, headers, H3HeaderTranslation.requestFields(headers), lane, allocator, config);
	}

	private H3Exchange(H3Stream stream, Http3Headers headers, HttpHeaders fields, ResponseLane lane,
			ByteBufAllocator allocator, HttpServerConfig config) {
		super(new NettyHttpFields(fields, true), contentLength(fields),
				HttpMethod.HEAD.name().equals(methodOf(headers)), lane, allocator, config, stream.timesExchanges());
		this.stream = stream;
		this.method = methodOf(headers);
		CharSequence path = headers.path();
		CharSequence authority = headers.authority();
		this.target = (path != null) ? path.toString() : (authority != null) ? authority.toString() : "/";
		this.expectContinue = fields.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
		this.serverHeader = config.getServerHeader();
		useBody(new StreamingRequestBody(config.getRequestBodyBufferSize(), writeTimeoutNanos(),
				() -> submit(stream::resumeReadingTask), this::requestContinue, null));
	}

	private static String methodOf(Http3Headers headers) {
		CharSequence methodName = headers.method();
		return (methodName != null) ? methodName.toString() : "GET";
	}

	private static long contentLength(HttpHeaders fields) {
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

	/** Loop: the request queue was full; the stream answers 503 itself and nobody will read this body. */
	void refused() {
		this.refused = true;
		markEnded();
		body().discard();
	}

	boolean isRefused() {
		return this.refused;
	}

	// ---- request

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public String target() {
		return this.target;
	}

	@Override
	public String protocol() {
		return PROTOCOL;
	}

	@Override
	public boolean keepAlive() {
		return !aborted() && isOpen();
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.stream.remoteAddress();
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.stream.localAddress();
	}

	/** Always {@code https}: QUIC is always encrypted. */
	@Override
	public String scheme() {
		return "https";
	}

	@Override
	public SSLSession tlsSession() {
		return this.stream.tlsSession();
	}

	@Override
	public boolean isOpen() {
		return this.streamOpen && this.stream.isOpen();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.stream.schedule(task, delay, unit);
	}

	@Override
	public boolean canWriteFile() {
		return false;
	}

	@Override
	public void writeFile(File file, long position, long count) {
		throw new IllegalStateException("Files are sent from the page cache on HTTP/1.1 plaintext connections only");
	}

	// ---- the wire

	/** A HEADERS frame after the DATA frames can follow any body (RFC 9114 4.1). */
	@Override
	protected boolean canCarryTrailers(long declaredLength) {
		return true;
	}

	@Override
	protected Http3Headers newHead(int status, HttpHeaders headers) {
		if (this.serverHeader != null && !headers.contains(HttpHeaderNames.SERVER)) {
			headers.set(HttpHeaderNames.SERVER, this.serverHeader);
		}
		return H3HeaderTranslation.responseHead(status, headers);
	}

	@Override
	protected FlushTarget writePart(Http3Headers head, ByteBuf content, int length, boolean last) {
		return this.stream.writePart(this, head, content, length, last);
	}

	@Override
	protected FlushTarget abortOnLoop(Throwable cause) {
		return this.stream.abortExchange(this, cause);
	}

	@Override
	protected boolean inEventLoop() {
		return this.stream.inEventLoop();
	}

	@Override
	protected void runOnLoop(OutboundTask task) {
		this.stream.runOnLoop(task);
	}

	private void requestContinue() {
		if (this.expectContinue && !isCommitted()) {
			submit(() -> this.stream.sendContinue(this));
		}
	}

	// ---- called on the event loop

	/** The stream closed: ended normally, reset by either side, or its connection is gone. */
	void onStreamClosed() {
		this.streamOpen = false;
		closed("The HTTP/3 stream closed before the request body ended");
	}

	@Override
	public String toString() {
		return this.method + " " + this.target + " (HTTP/3 stream " + this.stream.streamId() + ")";
	}

}
