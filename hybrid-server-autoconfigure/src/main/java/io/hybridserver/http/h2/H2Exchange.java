package io.hybridserver.http.h2;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2Headers;

import io.hybridserver.http.ByteBufExchange;
import io.hybridserver.http.HttpDate;
import io.hybridserver.http.HttpFields;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.NettyHttpFields;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.RequestBody;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.StreamingRequestBody;

/**
 * An {@link io.hybridserver.http.Exchange} on one HTTP/2 stream. It behaves as its HTTP/1.1 sibling does for the
 * application (the same blocking and non-blocking contracts, the same high-water mark), and differs only on the wire:
 * the head becomes a HEADERS frame, the body DATA frames with END_STREAM on the last, an abort resets the stream alone,
 * and every request body byte the application takes is given back to the client's flow-control windows.
 */
final class H2Exchange implements ByteBufExchange {

	private static final String PROTOCOL = "HTTP/2.0";

	private static final DefaultHttpHeadersFactory RESPONSE_HEADERS = DefaultHttpHeadersFactory.headersFactory()
		.withValidation(true);

	private final H2Connection connection;

	private final int streamId;

	private final String method;

	private final String target;

	private final boolean headRequest;

	private final boolean expectContinue;

	private final NettyHttpFields requestFields;

	private final NettyHttpFields responseFields;

	private final long requestContentLength;

	private final StreamingRequestBody body;

	private final ResponseLane lane;

	private final ByteBufAllocator allocator;

	private final int highWaterMark;

	private final long writeTimeoutNanos;

	private final String serverHeader;

	// Shared between the worker and the loop.
	private final AtomicBoolean ended = new AtomicBoolean();

	private final AtomicLong unsentBytes = new AtomicLong();

	/** Request body bytes consumed by the application and not yet given back to the client's windows. */
	private final AtomicInteger consumedNotReturned = new AtomicInteger();

	private final AtomicReference<Runnable> writable = new AtomicReference<>();

	private final AtomicBoolean connectionLostFired = new AtomicBoolean();

	private volatile boolean committed;

	private volatile boolean streamOpen = true;

	private volatile Thread writer;

	private volatile Runnable connectionLost;

	// Worker-side state.
	private Http2Headers pendingHead;

	private int status = 200;

	private long declaredLength = -1;

	private long written;

	private boolean bodyless;

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
		this.connection = connection;
		this.streamId = streamId;
		this.lane = lane;
		this.allocator = allocator;
		CharSequence methodName = headers.method();
		this.method = (methodName != null) ? methodName.toString() : "GET";
		CharSequence path = headers.path();
		CharSequence authority = headers.authority();
		this.target = (path != null) ? path.toString() : (authority != null) ? authority.toString() : "/";
		this.headRequest = HttpMethod.HEAD.name().equals(this.method);
		HttpHeaders fields = HeaderTranslation.requestFields(headers);
		this.expectContinue = !endOfStream
				&& fields.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
		this.requestFields = new NettyHttpFields(fields, true);
		this.responseFields = new NettyHttpFields(RESPONSE_HEADERS.newHeaders(), false);
		this.requestContentLength = endOfStream ? 0 : contentLength(fields);
		this.highWaterMark = config.getResponseHighWaterMark();
		this.writeTimeoutNanos = config.getConnectionTimeout().toNanos();
		this.serverHeader = config.getServerHeader();
		// The body never pauses reading (the windows bound it); each consumed byte goes back to the client instead.
		this.body = new StreamingRequestBody(Integer.MAX_VALUE, this.writeTimeoutNanos, () -> {
		}, this::requestContinue, this::consumed);
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

	StreamingRequestBody body() {
		return this.body;
	}

	int status() {
		return this.status;
	}

	/** Loop: the request queue was full; the connection answers 503 itself and nobody will read this body. */
	void refused() {
		this.refused = true;
		this.ended.set(true);
		this.body.discard();
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
	public HttpFields requestHeaders() {
		return this.requestFields;
	}

	@Override
	public long requestContentLength() {
		return this.requestContentLength;
	}

	@Override
	public RequestBody requestBody() {
		return this.body;
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
	public String scheme() {
		return this.connection.secure() ? "https" : "http";
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
	public boolean isWritable() {
		return this.unsentBytes.get() <= this.highWaterMark || !isOpen();
	}

	@Override
	public void onWritable(Runnable callback) {
		this.writable.set(callback);
		if (isWritable()) {
			fireWritable();
		}
	}

	private void fireWritable() {
		Runnable callback = this.writable.getAndSet(null);
		if (callback != null) {
			callback.run();
		}
	}

	@Override
	public void onConnectionLost(Runnable callback) {
		this.connectionLost = callback;
		if (!isOpen()) {
			fireConnectionLost();
		}
	}

	private void fireConnectionLost() {
		Runnable callback = this.connectionLost;
		if (callback != null && !this.ended.get() && this.connectionLostFired.compareAndSet(false, true)) {
			callback.run();
		}
	}

	// ---- response

	@Override
	public HttpFields responseHeaders() {
		return this.responseFields;
	}

	@Override
	public boolean isCommitted() {
		return this.committed;
	}

	@Override
	public void commit(int status, long contentLength) {
		if (this.committed) {
			throw new IllegalStateException("The response is already committed");
		}
		if (status < 200 || status > 999) {
			throw new IllegalArgumentException("Status " + status + " cannot be sent as a final response");
		}
		this.committed = true;
		this.status = status;
		this.responseFields.seal();
		HttpHeaders headers = this.responseFields.headers();
		boolean noContentStatus = status == 204 || status == 304;
		this.bodyless = this.headRequest || noContentStatus;
		// DATA frames frame the body; a Transfer-Encoding is not allowed in HTTP/2 (RFC 9113 8.2.2).
		headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
		if (noContentStatus) {
			headers.remove(HttpHeaderNames.CONTENT_LENGTH);
			this.declaredLength = 0;
		}
		else if (contentLength >= 0) {
			headers.set(HttpHeaderNames.CONTENT_LENGTH, contentLength);
			this.declaredLength = contentLength;
		}
		else {
			headers.remove(HttpHeaderNames.CONTENT_LENGTH);
			this.declaredLength = -1;
		}
		if (!headers.contains(HttpHeaderNames.DATE)) {
			headers.set(HttpHeaderNames.DATE, HttpDate.now());
		}
		if (this.serverHeader != null && !headers.contains(HttpHeaderNames.SERVER)) {
			headers.set(HttpHeaderNames.SERVER, this.serverHeader);
		}
		this.pendingHead = HeaderTranslation.responseHead(status, headers);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (!admit(length, true)) {
			return;
		}
		ByteBuf buf = this.allocator.directBuffer(length);
		buf.writeBytes(bytes, offset, length);
		send(buf, length);
	}

	@Override
	public void flush() throws IOException {
		ensureWritable();
		Http2Headers head = takePendingHead();
		if (head != null) {
			submit(() -> this.connection.writePart(this, head, null, 0, false));
		}
	}

	@Override
	public void complete() {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		this.body.discard();
		if (!this.committed) {
			commit(200, 0);
		}
		if (!this.bodyless && this.declaredLength >= 0 && this.written < this.declaredLength) {
			IOException cause = new IOException("Response ended after " + this.written + " of "
					+ this.declaredLength + " bytes promised by its Content-Length");
			submit(() -> this.connection.abortExchange(this, cause));
			return;
		}
		Http2Headers head = takePendingHead();
		submit(() -> this.connection.writePart(this, head, null, 0, true));
	}

	@Override
	public void abort(Throwable cause) {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		this.body.discard();
		submit(() -> this.connection.abortExchange(this, cause));
	}

	// ---- ByteBufExchange

	@Override
	public ByteBufAllocator alloc() {
		return this.allocator;
	}

	@Override
	public HttpHeaders nettyRequestHeaders() {
		return this.requestFields.headers();
	}

	@Override
	public HttpHeaders nettyResponseHeaders() {
		return this.responseFields.headers();
	}

	@Override
	public ByteBuf pollRequestContent() throws IOException {
		return this.body.poll();
	}

	@Override
	public void write(ByteBuf content) throws IOException {
		int length = content.readableBytes();
		boolean admitted;
		try {
			admitted = admit(length, false);
		}
		catch (IOException | RuntimeException ex) {
			content.release();
			throw ex;
		}
		if (admitted) {
			send(content, length);
		}
		else {
			content.release();
		}
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

	/**
	 * What every body write checks first, as on HTTP/1.1: the exchange open, the head committed, the bytes within the
	 * declared length.
	 * @return whether the bytes are to be sent
	 */
	private boolean admit(long length, boolean mayWait) throws IOException {
		ensureWritable();
		if (!this.committed) {
			commit(200, -1);
		}
		if (length == 0 || this.bodyless) {
			this.written += length;
			return false;
		}
		if (this.declaredLength >= 0 && this.written + length > this.declaredLength) {
			throw new IOException("Response body exceeds its Content-Length of " + this.declaredLength + " bytes");
		}
		if (mayWait) {
			awaitDrained();
		}
		this.written += length;
		return true;
	}

	private void send(ByteBuf content, int length) {
		this.unsentBytes.addAndGet(length);
		Http2Headers head = takePendingHead();
		submit(() -> this.connection.writePart(this, head, content, length, false));
	}

	private void submit(OutboundTask task) {
		if (this.connection.inEventLoop()) {
			this.connection.runOnLoop(task);
		}
		else {
			this.lane.submit(task);
		}
	}

	// ---- request body credit

	/** Consumer thread: the application took {@code bytes}; one task at a time carries the total to the loop. */
	private void consumed(int bytes) {
		if (this.consumedNotReturned.getAndAdd(bytes) == 0) {
			submit(() -> this.connection.returnBytes(this, this.consumedNotReturned.getAndSet(0)));
		}
	}

	private void requestContinue() {
		if (this.expectContinue && !this.committed) {
			submit(() -> this.connection.sendContinue(this));
		}
	}

	// ---- called on the event loop

	/** Bytes of this exchange's body have left through the socket (or were dropped with the stream). */
	void onSent(long bytes) {
		long now = this.unsentBytes.addAndGet(-bytes);
		if (now <= this.highWaterMark / 2) {
			Thread waiting = this.writer;
			if (waiting != null) {
				LockSupport.unpark(waiting);
			}
			fireWritable();
		}
	}

	/** The stream closed: ended normally, reset by either side, or its connection is gone. */
	void onStreamClosed() {
		this.streamOpen = false;
		this.body.fail(new ClosedChannelException() {

			private static final long serialVersionUID = 1L;

			@Override
			public String getMessage() {
				return "The HTTP/2 stream closed before the request body ended";
			}

		});
		Thread waiting = this.writer;
		if (waiting != null) {
			LockSupport.unpark(waiting);
		}
		fireWritable();
		fireConnectionLost();
	}

	// ---- worker-side helpers

	private Http2Headers takePendingHead() {
		Http2Headers head = this.pendingHead;
		this.pendingHead = null;
		return head;
	}

	private void ensureWritable() throws IOException {
		if (this.ended.get()) {
			throw new IOException("The exchange has already ended");
		}
		if (!isOpen()) {
			throw new ClosedChannelException();
		}
	}

	/**
	 * Blocks while too many written bytes wait for the client's windows or a slow socket; never on an event loop,
	 * where non-blocking callers hold back by {@link #isWritable()} instead.
	 */
	private void awaitDrained() throws IOException {
		if (this.unsentBytes.get() <= this.highWaterMark || this.connection.inEventLoop()) {
			return;
		}
		long deadline = System.nanoTime() + this.writeTimeoutNanos;
		this.writer = Thread.currentThread();
		try {
			while (this.unsentBytes.get() > this.highWaterMark / 2) {
				if (!isOpen()) {
					throw new ClosedChannelException();
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					abort(new SocketTimeoutException("Client did not read the response"));
					throw new SocketTimeoutException("The client took no response bytes for "
							+ TimeUnit.NANOSECONDS.toMillis(this.writeTimeoutNanos) + " ms");
				}
				LockSupport.parkNanos(this, remaining);
				if (Thread.interrupted()) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("Interrupted while waiting for the client to read");
				}
			}
		}
		finally {
			this.writer = null;
		}
	}

	@Override
	public String toString() {
		return this.method + " " + this.target + " (HTTP/2 stream " + this.streamId + ")";
	}

}
