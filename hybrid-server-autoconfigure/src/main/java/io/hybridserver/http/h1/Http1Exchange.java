package io.hybridserver.http.h1;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
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

import io.hybridserver.http.AltSvc;
import io.hybridserver.http.ConnectionUpgrade;
import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.NettyHttpFields;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.QueuedResponseExchange;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.StreamingRequestBody;

/**
 * An {@link Exchange} on an HTTP/1.1 connection. The response side is {@link QueuedResponseExchange}'s; what is
 * HTTP/1.1's own is the head (a chunked body when its length is unknown, {@code Connection: close} when the response
 * ends before the request body did), the request body that pauses reading when full, and files sent by
 * {@code sendfile}.
 *
 * <p>The head is encoded by the worker that commits it, straight from the response's header fields into one pooled
 * buffer ({@link #newHead}), and a small body that completes the response is copied behind it ({@link #appendToHead}):
 * the event loop then writes one buffer it did not have to build, in one response-queue task with the response's end
 * ({@link #joinsLastPartWithEnd}). The keep-alive decision is split accordingly: what the request and the response
 * say is settled here, and what only the loop knows (the connection is closing, the request body was left unread)
 * makes the loop rewrite the head's {@code Connection} lines, which are encoded first for that reason.
 */
final class Http1Exchange extends QueuedResponseExchange<ByteBuf> implements Runnable {

	/** Room for the fields the server adds to the application's ({@code Server}, {@code Alt-Svc}, {@code Connection}). */
	private static final int HEAD_SLACK = 128;

	/** A request body callback for requests that did not ask for {@code 100 Continue}: nothing to do. */
	private static final Runnable NO_CONTINUE = () -> {
	};

	final Http1Connection connection;

	final HttpRequest request;

	final boolean http10;

	final boolean expectContinue;

	private final String altSvc;

	/** This request's place among the connection's requests (1 for the first), for the keep-alive cap. */
	private final int requestNumber;

	// The encoded head's facts, written by the worker that encoded it before the lane publishes it to the loop.
	ResponseHead.Framing headFraming;

	/** Whether the head lets the connection stay open; the loop may still close it (see Http1Connection.writePart). */
	boolean headKeepAlive;

	/** Where the head's {@code Connection} lines start and end, for the loop to replace them with {@code close}. */
	int connectionStart;

	int connectionEnd;

	/** The head left with the bytes that complete its body, though not with the end. */
	boolean completesWithBody;

	// Event-loop state, touched only by the connection's loop.
	boolean dispatched;

	boolean headSent;

	boolean keepAlive;

	boolean continueSent;

	LocalAnswer localAnswer;

	Http1Exchange(Http1Connection connection, HttpRequest request, ResponseLane lane, ByteBufAllocator allocator,
			HttpServerConfig config) {
		super(new NettyHttpFields(request.headers(), true), HttpUtil.isTransferEncodingChunked(request) ? -1
				: HttpUtil.getContentLength(request, 0L), HttpMethod.HEAD.equals(request.method()), lane, allocator,
				config, connection.timesExchanges());
		this.connection = connection;
		this.request = request;
		this.http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
		this.expectContinue = HttpUtil.is100ContinueExpected(request);
		this.altSvc = config.getAltSvc();
		this.requestNumber = connection.requestsSeen();
		useBody(new StreamingRequestBody(config.getRequestBodyBufferSize(), config.getMaxRequestBodyBufferSize(),
				connection.requestBodyBudget(), writeTimeoutNanos(), this,
				this.expectContinue ? this::requestContinue : NO_CONTINUE, null));
	}

	/** Whether the request is a HEAD (its response has no body), for the connection's keep-alive decision. */
	boolean headRequest() {
		return this.headRequest;
	}

	// ---- request

	/** A head the decoder refused is a placeholder ({@code GET /bad-request}): nothing of it was the client's. */
	@Override
	public boolean requestLineRead() {
		return !this.request.decoderResult().isFailure();
	}

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
	public InetSocketAddress remoteAddress() {
		return this.connection.remoteAddress();
	}

	@Override
	public String remoteHostAddress() {
		return this.connection.remoteHostAddress();
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
		return this.connection.isOpen();
	}

	@Override
	public boolean keepAlive() {
		return this.keepAlive && !aborted() && this.connection.isOpen();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.connection.schedule(task, delay, unit);
	}

	// ---- the wire

	/**
	 * Worker: the head encoded as HTTP/1.1 bytes straight from the response's header fields, into a pooled buffer with
	 * room for a small body behind it, so that the event loop only writes it. The fields the server owns are added
	 * here: {@code Server}, {@code Alt-Svc}, and {@code Connection}, written first after the status line (where the loop
	 * can replace it if the connection must close after all: see {@link Http1Connection}).
	 */
	@Override
	protected ByteBuf newHead(int status, HttpHeaders headers) {
		AltSvc.advertise(this.altSvc, this.connection.secure(), headers);
		String server = this.connection.serverHeader();
		if (server != null && !headers.contains(HttpHeaderNames.SERVER)) {
			headers.set(HttpHeaderNames.SERVER, server);
		}
		ResponseHead.Framing framing = ResponseHead.framingOf(status, headers);
		if (framing == ResponseHead.Framing.EMPTY) {
			ResponseHead.sanitizeBodyless(status, headers);
		}
		boolean keepAlive = mayKeepAlive(framing, headers);
		long declared = declaredLength();
		int inline = (framing == ResponseHead.Framing.RAW && !this.headRequest && declared >= 0
				&& declared <= ResponseEncoder.INLINE_BODY_LIMIT) ? (int) declared : 0;
		ByteBuf out = alloc().directBuffer(encodedHeaderSize() + HEAD_SLACK + inline);
		try {
			ResponseHead.encodeStatusLine(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), out);
			this.connectionStart = out.writerIndex();
			if (!keepAlive) {
				ResponseHead.writeConnectionClose(out);
				headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			}
			else if (this.http10) {
				ResponseHead.writeConnectionKeepAlive(out);
				headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
			}
			else {
				ResponseHead.encodeConnectionFields(headers, out);
			}
			this.connectionEnd = out.writerIndex();
			ResponseHead.encodeFieldsButConnection(headers, out);
			out.writeShort(ResponseHead.CRLF);
		}
		catch (RuntimeException ex) {
			out.release();
			throw ex;
		}
		this.headFraming = framing;
		this.headKeepAlive = keepAlive;
		return out;
	}

	/**
	 * What the worker can know of keep-alive (RFC 9112, 9.3): the request allows it, the body's end can be found
	 * without a close, the application did not say {@code close}, and the connection's request cap is not reached. What
	 * only the loop knows (the connection closing, an unread request body) it checks when it writes the head.
	 */
	private boolean mayKeepAlive(ResponseHead.Framing framing, HttpHeaders headers) {
		boolean lengthKnown = framing != ResponseHead.Framing.RAW || this.headRequest
				|| headers.contains(HttpHeaderNames.CONTENT_LENGTH);
		int maxRequests = this.connection.maxKeepAliveRequests();
		return Http1Connection.requestsKeepAlive(this.request) && lengthKnown && !Http1Connection.saysClose(headers)
				&& (maxRequests <= 0 || this.requestNumber < maxRequests);
	}

	@Override
	protected boolean appendToHead(ByteBuf head, byte[] bytes, int offset, int length) {
		if (this.headFraming != ResponseHead.Framing.RAW || length > ResponseEncoder.INLINE_BODY_LIMIT) {
			return false;
		}
		ViewlessCopy.write(bytes, offset, length, head);
		return true;
	}

	@Override
	protected boolean joinsLastPartWithEnd() {
		return true;
	}

	@Override
	protected void discardHead(ByteBuf head) {
		head.release();
	}

	/**
	 * Loop: the head as it must go when the connection closes after this response though the worker encoded it to
	 * stay open: its {@code Connection} lines replaced with {@code close}. A copy, made only on that rare path.
	 */
	ByteBuf closingHead(ByteBuf head) {
		int start = this.connectionStart;
		int end = this.connectionEnd;
		ByteBuf out = alloc().directBuffer(head.readableBytes() - (end - start) + ResponseHead.connectionCloseLength());
		out.writeBytes(head, 0, start);
		ResponseHead.writeConnectionClose(out);
		out.writeBytes(head, end, head.writerIndex() - end);
		head.release();
		nettyResponseHeaders().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return out;
	}

	/** Only a chunked body carries trailers: not HTTP/1.0's, not one committed with a Content-Length. */
	@Override
	protected boolean canCarryTrailers(long declaredLength) {
		return !this.http10 && declaredLength < 0;
	}

	@Override
	protected boolean trailersNeedUnknownLength() {
		return true;
	}

	@Override
	protected void frameUnknownLength(HttpHeaders headers) {
		if (!this.http10 && !this.headRequest) {
			headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
		}
	}

	/**
	 * The response is whole with this write (a servlet response that fitted its buffer): if the request body is still
	 * arriving then, nobody will read the rest, so the connection closes after this answer and its head must say so,
	 * as it does for a response that ends with its head. The loop checks the body when it writes the head.
	 */
	@Override
	protected void headGoesWithBody(ByteBuf head) {
		this.completesWithBody = written() == declaredLength();
	}

	@Override
	protected FlushTarget writePart(ByteBuf head, ByteBuf content, int length, boolean last) {
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

	// ---- switching protocols

	@Override
	public boolean canUpgrade() {
		return !isCommitted() && this.connection.canUpgrade(this);
	}

	@Override
	public void upgrade(ConnectionUpgrade upgrade) {
		if (!this.connection.canUpgrade(this)) {
			throw new IllegalStateException("This request did not ask to switch to WebSocket over HTTP/1.1");
		}
		HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS,
				commitSwitchingProtocols());
		submit(() -> this.connection.switchProtocols(this, head, upgrade));
	}

	// ---- files from the page cache

	@Override
	public boolean canWriteFile() {
		return !this.connection.secure();
	}

	@Override
	public void writeFile(File file, long position, long count) throws IOException {
		if (!canWriteFile()) {
			throw new IllegalStateException("Files are sent from the page cache on plaintext connections only");
		}
		if (!admit(count, false)) {
			return;
		}
		addUnsent(count);
		ByteBuf head = takePendingHead();
		submit(() -> this.connection.writeFileRegion(this, head, new DefaultFileRegion(file, position, count), count));
	}

	// ---- called on the event loop

	/** The connection is gone: wake a worker waiting to write. */
	void onConnectionClosed() {
		closed("The connection closed before the request body ended");
	}

	/** The client closed its sending side: for a request already received, that usually means it has left. */
	void onInputClosed() {
		fireConnectionLost();
	}

	// ---- worker-side helpers

	/**
	 * The request body's "drained" callback: the worker took what filled the body's buffer, so the connection may read
	 * again. The exchange is the callback itself, not a lambda made for every request.
	 */
	@Override
	public void run() {
		submit(this.connection.resumeReading());
	}

	private void requestContinue() {
		if (this.expectContinue && !isCommitted()) {
			submit(() -> this.connection.sendContinue(this));
		}
	}

	@Override
	public String toString() {
		return method() + " " + target();
	}

}
