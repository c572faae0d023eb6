package io.hybridserver.http.h2;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2Headers;

import io.hybridserver.http.AltSvc;
import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.NettyHttpFields;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.QueuedResponseExchange;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.StreamingRequestBody;

/**
 * An {@link io.hybridserver.http.Exchange} on one HTTP/2 stream. Its response side is
 * {@link QueuedResponseExchange}'s, as for HTTP/1.1 (the same blocking and non-blocking contracts, the same high-water
 * mark); what differs is the wire: the head becomes a HEADERS frame, the body DATA frames with END_STREAM on the last,
 * an abort resets the stream alone, and every request body byte the application takes is given back to the client's
 * flow-control windows.
 */
final class H2Exchange extends QueuedResponseExchange<Http2Headers> {

	private static final String PROTOCOL = "HTTP/2.0";

	private final H2Connection connection;

	private final int streamId;

	private final String method;

	private final String target;

	private final boolean expectContinue;

	private final String serverHeader;

	private final String altSvc;

	/** Request body bytes consumed by the application and not yet given back to the client's windows. */
	private final AtomicInteger consumedNotReturned = new AtomicInteger();

	private volatile boolean streamOpen = true;

	// Event-loop state.
	boolean dispatched;

	boolean headSent;

	boolean continueSent;

	private boolean refused;

	/**
	 * @throws IllegalArgumentException if the request's fields are not valid HTTP (a malformed request)
	 */
	H2Exchange(H2Connection connection, int streamId, Http2Headers headers, boolean endOfStream, ResponseLane lane,
			ByteBufAllocator allocator, HttpServerConfig config) {
		this(connection, streamId, headers, HeaderTranslation.requestFields(headers), endOfStream, lane, allocator,
				config);
	}

	private H2Exchange(H2Connection connection, int streamId, Http2Headers headers, HttpHeaders fields,
			boolean endOfStream, ResponseLane lane, ByteBufAllocator allocator, HttpServerConfig config) {
		super(new NettyHttpFields(fields, true), endOfStream ? 0 : contentLength(fields),
				HttpMethod.HEAD.name().equals(methodOf(headers)), lane, allocator, config,
				connection.timesExchanges());
		this.connection = connection;
		this.streamId = streamId;
		this.method = methodOf(headers);
		CharSequence path = headers.path();
		CharSequence authority = headers.authority();
		this.target = (path != null) ? path.toString() : (authority != null) ? authority.toString() : "/";
		this.expectContinue = !endOfStream
				&& fields.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
		this.serverHeader = config.getServerHeader();
		this.altSvc = config.getAltSvc();
		// The body never pauses reading (the windows bound it); each consumed byte goes back to the client instead.
		useBody(new StreamingRequestBody(Integer.MAX_VALUE, writeTimeoutNanos(), () -> {
		}, this::requestContinue, this::consumed));
	}

	private static String methodOf(Http2Headers headers) {
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

	int streamId() {
		return this.streamId;
	}

	/** Loop: the request queue was full; the connection answers 503 itself and nobody will read this body. */
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
	public boolean keepAlive() {
		return !aborted() && isOpen();
	}

	@Override
	public String protocol() {
		return PROTOCOL;
	}




	@Override
	public InetSocketAddress remoteAddress() {
		return this.connection.remoteAddress();
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.connection.localAddress();
	}

	@Override
	public Map<String, Object> connectionAttributes() {
		return this.connection.connectionAttributes();
	}

	@Override
	public String scheme() {
		return this.connection.scheme();
	}

	@Override
	public SSLSession tlsSession() {
		return this.connection.tlsSession();
	}

	@Override
	public boolean isOpen() {
		return this.streamOpen && this.connection.isOpen();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.connection.schedule(task, delay, unit);
	}

	/** Files travel as DATA frames through the flow controller, so they are read into buffers like any body. */
	@Override
	public boolean canWriteFile() {
		return false;
	}

	@Override
	public void writeFile(File file, long position, long count) {
		throw new IllegalStateException("Files are sent from the page cache on HTTP/1.1 plaintext connections only");
	}

	// ---- the wire

	/** A HEADERS frame with END_STREAM can follow any body. */
	@Override
	protected boolean canCarryTrailers(long declaredLength) {
		return true;
	}

	@Override
	protected Http2Headers newHead(int status, HttpHeaders headers) {
		AltSvc.advertise(this.altSvc, this.connection.secure(), headers);
		if (this.serverHeader != null && !headers.contains(HttpHeaderNames.SERVER)) {
			headers.set(HttpHeaderNames.SERVER, this.serverHeader);
		}
		return HeaderTranslation.responseHead(status, headers);
	}

	@Override
	protected FlushTarget writePart(Http2Headers head, ByteBuf content, int length, boolean last) {
		return this.connection.writePart(this, head, content, length, last);
	}

	@Override
	protected FlushTarget abortOnLoop(Throwable cause) {
		return this.connection.abortExchange(this, cause);
	}

	@Override
	protected boolean inEventLoop() {
		return this.connection.inEventLoop();
	}

	@Override
	protected void runOnLoop(OutboundTask task) {
		this.connection.runOnLoop(task);
	}

	// ---- request body credit

	/** Consumer thread: the application took {@code bytes}; one task at a time carries the total to the loop. */
	private void consumed(int bytes) {
		if (this.consumedNotReturned.getAndAdd(bytes) == 0) {
			submit(() -> this.connection.returnBytes(this, this.consumedNotReturned.getAndSet(0)));
		}
	}

	private void requestContinue() {
		if (this.expectContinue && !isCommitted()) {
			submit(() -> this.connection.sendContinue(this));
		}
	}

	// ---- called on the event loop

	/** The stream closed: ended normally, reset by either side, or its connection is gone. */
	void onStreamClosed() {
		this.streamOpen = false;
		closed("The HTTP/2 stream closed before the request body ended");
	}

	@Override
	public String toString() {
		return this.method + " " + this.target + " (HTTP/2 stream " + this.streamId + ")";
	}

}
