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
 */
final class Http1Exchange extends QueuedResponseExchange<HttpResponse> {

	final Http1Connection connection;

	final HttpRequest request;

	final boolean http10;

	final boolean expectContinue;

	private final String altSvc;

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
		useBody(new StreamingRequestBody(config.getRequestBodyBufferSize(), writeTimeoutNanos(),
				() -> submit(connection::resumeReadingTask), this::requestContinue));
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

	@Override
	protected HttpResponse newHead(int status, HttpHeaders headers) {
		AltSvc.advertise(this.altSvc, this.connection.secure(), headers);
		return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers);
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

	@Override
	protected void headGoesWithBody(HttpResponse head) {
		if (written() == declaredLength() && !body().isEnded()) {
			// The response is whole with this write (a servlet response that fitted its buffer) while the request body
			// is still arriving: nobody will read the rest, so the connection closes after this answer and its head
			// must say so, as it does for a response that ends with its head.
			head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
	}

	@Override
	protected FlushTarget writePart(HttpResponse head, ByteBuf content, int length, boolean last) {
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
		HttpResponse head = takePendingHead();
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
