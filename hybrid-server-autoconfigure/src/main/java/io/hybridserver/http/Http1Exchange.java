package io.hybridserver.http;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An {@link Exchange} on an HTTP/1.1 connection. Worker-side methods turn into {@link OutboundTask}s on the connection's
 * {@link ResponseLane}; the head is held back until the first body bytes, a flush or the end, so that a small response
 * leaves in one batch and one flush.
 */
final class Http1Exchange implements ByteBufExchange {

	private static final DefaultHttpHeadersFactory RESPONSE_HEADERS = DefaultHttpHeadersFactory.headersFactory()
		.withValidation(true);

	final Http1Connection connection;

	final HttpRequest request;

	final boolean http10;

	final boolean headRequest;

	final boolean expectContinue;

	private final NettyHttpFields requestFields;

	private final NettyHttpFields responseFields;

	private final long requestContentLength;

	private final StreamingRequestBody body;

	private final ResponseLane lane;

	private final ByteBufAllocator allocator;

	private final int highWaterMark;

	private final long writeTimeoutNanos;

	// Written by the worker, published to the loop through the lane's queue.
	private final AtomicBoolean ended = new AtomicBoolean();

	private final AtomicLong unsentBytes = new AtomicLong();

	private volatile boolean committed;

	private volatile Thread writer;

	private volatile Runnable connectionLost;

	/** A non-blocking producer's one-shot "writable again" callback. */
	private final AtomicReference<Runnable> writable = new AtomicReference<>();

	private final AtomicBoolean connectionLostFired = new AtomicBoolean();

	private HttpResponse pendingHead;

	private int status = 200;

	private long declaredLength = -1;

	private long written;

	private boolean bodyless;

	// Event-loop state, touched only by the connection's loop.
	boolean dispatched;

	boolean headSent;

	boolean keepAlive;

	boolean continueSent;

	LocalAnswer localAnswer;

	Http1Exchange(Http1Connection connection, HttpRequest request, ResponseLane lane, ByteBufAllocator allocator,
			HttpServerConfig config) {
		this.connection = connection;
		this.request = request;
		this.lane = lane;
		this.allocator = allocator;
		this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
		this.headRequest = HttpMethod.HEAD.equals(request.method());
		this.expectContinue = HttpUtil.is100ContinueExpected(request);
		this.requestFields = new NettyHttpFields(request.headers(), true);
		this.responseFields = new NettyHttpFields(RESPONSE_HEADERS.newHeaders(), false);
		this.requestContentLength = HttpUtil.isTransferEncodingChunked(request) ? -1
				: HttpUtil.getContentLength(request, 0L);
		this.highWaterMark = config.getResponseHighWaterMark();
		long timeout = config.getConnectionTimeout().toNanos();
		this.writeTimeoutNanos = timeout;
		this.body = new StreamingRequestBody(config.getRequestBodyBufferSize(), timeout,
				() -> submit(connection::resumeReadingTask), this::requestContinue);
	}

	StreamingRequestBody body() {
		return this.body;
	}

	int status() {
		return this.status;
	}

	// ---- request

	@Override
	public String method() {
		return this.request.method().name();
	}

	@Override
	public String target() {
		return this.request.uri();
	}

	@Override
	public String protocol() {
		return this.request.protocolVersion().text();
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
		return this.connection.isOpen();
	}

	@Override
	public boolean isWritable() {
		return this.unsentBytes.get() <= this.highWaterMark || !this.connection.isOpen();
	}

	@Override
	public void onWritable(Runnable callback) {
		this.writable.set(callback);
		// Re-check after publishing: bytes sent in between notified nobody.
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
		if (!this.connection.isOpen()) {
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
		// Framing belongs to the server: whatever the application set is replaced by what will really be sent.
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
			if (!this.http10 && !this.headRequest) {
				headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
			}
			this.declaredLength = -1;
		}
		if (!headers.contains(HttpHeaderNames.DATE)) {
			headers.set(HttpHeaderNames.DATE, HttpDate.now());
		}
		this.pendingHead = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
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
		HttpResponse head = takePendingHead();
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
			// The head promised more bytes than were written: the only honest end is to close the connection.
			IOException cause = new IOException("Response ended after " + this.written + " of "
					+ this.declaredLength + " bytes promised by its Content-Length");
			submit(() -> this.connection.abortExchange(this, cause));
			return;
		}
		HttpResponse head = takePendingHead();
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

	// ---- ByteBufExchange: the same response path without copies or waiting

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
	public boolean canWriteFile() {
		return !this.connection.secure();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.connection.schedule(task, delay, unit);
	}

	@Override
	public void writeFile(File file, long position, long count) throws IOException {
		if (!canWriteFile()) {
			throw new IllegalStateException("Files are sent from the page cache on plaintext connections only");
		}
		if (!admit(count, false)) {
			return;
		}
		this.unsentBytes.addAndGet(count);
		HttpResponse head = takePendingHead();
		submit(() -> this.connection.writeFileRegion(this, head, new DefaultFileRegion(file, position, count), count));
	}

	/**
	 * What every body write checks first: the exchange is open, the head committed (a chunked 200 if nothing was),
	 * and the bytes fit the declared length. Counts them as written.
	 * @param mayWait whether to wait for the client to drain first (the blocking byte-array path)
	 * @return whether the bytes are to be sent: not for a response without a body, or nothing to send
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

	/** Hands admitted body bytes to the connection's loop. */
	private void send(ByteBuf content, int length) {
		this.unsentBytes.addAndGet(length);
		HttpResponse head = takePendingHead();
		if (head != null && this.written == this.declaredLength && !this.body.isEnded()) {
			// The response is whole with this write (a servlet response that fitted its buffer) while the request body
			// is still arriving: nobody will read the rest, so the connection closes after this answer and its head
			// must say so, as it does for a response that ends with its head.
			head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		submit(() -> this.connection.writePart(this, head, content, length, false));
	}

	/**
	 * Hands a task to the connection's loop: through the response queue from a worker, or at once when already on the
	 * loop (the reactive adapter's event-loop mode), where queueing would only add a hop and a full queue could not
	 * wait.
	 */
	private void submit(OutboundTask task) {
		if (this.connection.inEventLoop()) {
			this.connection.runOnLoop(task);
		}
		else {
			this.lane.submit(task);
		}
	}

	// ---- called on the event loop

	/** Bytes of this exchange's body have reached the socket. */
	void onSent(long bytes) {
		long now = this.unsentBytes.addAndGet(-bytes);
		Thread waiting = this.writer;
		if (waiting != null && now <= this.highWaterMark / 2) {
			LockSupport.unpark(waiting);
		}
		if (now <= this.highWaterMark / 2) {
			fireWritable();
		}
	}

	/** The connection is gone: wake a worker waiting to write. */
	void onConnectionClosed() {
		this.body.fail(new ClosedChannelException() {

			private static final long serialVersionUID = 1L;

			@Override
			public String getMessage() {
				return "The connection closed before the request body ended";
			}

		});
		Thread waiting = this.writer;
		if (waiting != null) {
			LockSupport.unpark(waiting);
		}
		fireWritable();
		fireConnectionLost();
	}

	/** The client closed its sending side: for a request already received, that usually means it has left. */
	void onInputClosed() {
		fireConnectionLost();
	}

	/** Body bytes that will not be sent after all: no longer count them as waiting. */
	void release(ByteBuf content) {
		if (content != null) {
			this.unsentBytes.addAndGet(-content.readableBytes());
			content.release();
		}
	}

	// ---- worker-side helpers

	private void requestContinue() {
		if (this.expectContinue && !this.committed) {
			submit(() -> this.connection.sendContinue(this));
		}
	}

	private HttpResponse takePendingHead() {
		HttpResponse head = this.pendingHead;
		this.pendingHead = null;
		return head;
	}

	private void ensureWritable() throws IOException {
		if (this.ended.get()) {
			throw new IOException("The exchange has already ended");
		}
		if (!this.connection.isOpen()) {
			throw new ClosedChannelException();
		}
	}

	/** Blocks while too many written bytes wait for a slow client; never an event loop, by the contract. */
	private void awaitDrained() throws IOException {
		if (this.unsentBytes.get() <= this.highWaterMark || this.connection.inEventLoop()) {
			// On the loop nothing may wait, and waiting would keep the loop from sending: non-blocking callers
			// (the reactive adapter) hold back by isWritable() instead.
			return;
		}
		long deadline = System.nanoTime() + this.writeTimeoutNanos;
		this.writer = Thread.currentThread();
		try {
			while (this.unsentBytes.get() > this.highWaterMark / 2) {
				if (!this.connection.isOpen()) {
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
					throw new java.io.InterruptedIOException("Interrupted while waiting for the client to read");
				}
			}
		}
		finally {
			this.writer = null;
		}
	}

	@Override
	public String toString() {
		return method() + " " + target();
	}

}
