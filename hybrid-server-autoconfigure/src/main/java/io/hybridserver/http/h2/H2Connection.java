package io.hybridserver.http.h2;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;

import static io.netty.handler.codec.http2.Http2CodecUtil.HTTP_UPGRADE_STREAM_ID;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import io.hybridserver.http.CoalescingFlush;
import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HeaderTranslation;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.http.LingeringClose;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.RequestAdmission;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.ResponseRoute;
import io.hybridserver.http.StreamCarrier;
import io.hybridserver.transport.ConnectionAddresses;

/**
 * One HTTP/2 connection on Netty's codec: each request stream becomes an {@link H2Exchange} handed to the dispatcher
 * (a 503 on that stream alone when the request queue is full), and the exchanges' {@link OutboundTask}s write their
 * frames here, flushed once per batch of the loop's response lane.
 *
 * <p><b>Flow control is backpressure.</b> DATA bytes are returned to the client's windows (Netty's {@code consumeBytes})
 * only as the application takes them from the request body, so a slow reader holds the client back at one window per
 * stream. Response DATA waits in Netty's flow controller for the client's windows, and its write promise completes only
 * once it has gone to the socket: the exchange counts bytes until then and stops its writer at its high-water mark.
 *
 * <p>Reading goes on while the connection is open (the codec asks for more after each read): what a client can send
 * is bounded by the windows, the concurrent-stream limit and the codec's flood protections.
 *
 * <p><b>A connection error ends the connection with a lingering close.</b> The codec sends GOAWAY and closes as soon as
 * it is written; a client that is still sending (a flood is) would get a TCP reset for its unread bytes, which can
 * destroy the GOAWAY before the client reads it. So from the error on, the codec decodes no more and
 * {@link LingeringClose} throws away what arrives, and the codec's close half-closes and lingers instead.
 */
final class H2Connection extends Http2ConnectionHandler
		implements StreamCarrier<Http2Headers, H2Exchange> {

	private static final Log logger = LogFactory.getLog(H2Connection.class);

	private final HttpServerConfig config;

	private final HttpServerStats stats;

	private final LoopDispatch.PerLoop dispatchers;

	private final ResponseRoute route;

	private final boolean secure;

	/** What {@link #scheme()} answers, fixed when the handler is added. */
	private String scheme;

	private final Http2Connection.PropertyKey exchangeKey;

	private final long maxConcurrentStreams;

	private final int initialWindowSize;

	private ChannelHandlerContext ctx;

	private ResponseLane lane;

	private LoopDispatch dispatcher;

	private volatile boolean open = true;

	// Loop-confined.
	private CoalescingFlush batchFlush;

	private boolean inRead;

	private long lastActiveNanos = System.nanoTime();

	private ScheduledFuture<?> idleTimer;

	private final ControlFrameLimit controlFrames;

	private boolean goAwayCounted;

	/** Set once a connection error's GOAWAY is on its way and the close after it lingers; {@code null} before. */
	private LingeringClose lingering;

	/** Whether a connection error has been met: nothing more is decoded. */
	private boolean failed;

	H2Connection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings initialSettings,
			HttpServerConfig config, HttpServerStats stats, LoopDispatch.PerLoop dispatchers, ResponseRoute route,
			boolean secure, int maxControlFramesPerSecond) {
		super(decoder, encoder, initialSettings);
		this.controlFrames = new ControlFrameLimit(maxControlFramesPerSecond);
		this.maxConcurrentStreams = initialSettings.maxConcurrentStreams();
		this.initialWindowSize = initialSettings.initialWindowSize();
		this.config = config;
		this.stats = stats;
		this.dispatchers = dispatchers;
		this.route = route;
		this.secure = secure;
		this.exchangeKey = connection().newKey();
		connection().addListener(new StreamEvents());
		decoder.frameListener(new Frames());
	}

	// ---- lifecycle

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
		this.ctx = ctx;
		this.batchFlush = new CoalescingFlush(ctx) {

			/** The codec's flush: it first writes what the flow controller holds for streams that have window now. */
			@Override
			protected void flush(ChannelHandlerContext context) {
				H2Connection.this.flush(context);
			}

		};
		this.lane = this.route.laneFor(ctx.channel().eventLoop());
		this.dispatcher = this.dispatchers.forLoop(ctx.channel().eventLoop());
		// Every way in (the preface, ALPN after the TLS handshake, an h2c upgrade request) comes after the connection's
		// first bytes, so a PROXY header, which precedes them all, has been read whole by now and says no more later.
		this.scheme = (this.secure || ConnectionAddresses.clientOverTls(ctx.channel())) ? "https" : "http";
		super.handlerAdded(ctx);
		widenConnectionWindow();
		armIdleTimer(this.config.getKeepAliveTimeout().toNanos());
	}

	/**
	 * Makes the connection's receive window as large as all stream windows together. Stream windows alone bound what
	 * is buffered; a connection window smaller than their sum would let the unread bodies of streams still waiting
	 * for a worker hold back the body of a stream that a worker is reading (head-of-line blocking, even deadlock with
	 * few workers). Tomcat and Jetty likewise credit the connection as soon as data is buffered in its stream.
	 */
	private void widenConnectionWindow() throws Http2Exception {
		Http2Stream connectionStream = connection().connectionStream();
		long all = (long) this.maxConcurrentStreams * this.initialWindowSize;
		int current = decoder().flowController().windowSize(connectionStream);
		int delta = (int) Math.min(Integer.MAX_VALUE - (long) current, all - current);
		if (delta > 0) {
			decoder().flowController().incrementWindowSize(connectionStream, delta);
			flush(this.ctx);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.open = false;
		cancelIdleTimer();
		// The codec closes every stream here, which tells their exchanges (StreamEvents).
		super.channelInactive(ctx);
	}

	@Override
	protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
		cancelIdleTimer();
		super.handlerRemoved0(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof HttpObject) {
			// After an h2c upgrade: the end of the HTTP/1.1 request that asked for it, decoded in the same read.
			ReferenceCountUtil.release(msg);
			return;
		}
		this.inRead = true;
		try {
			super.channelRead(ctx, msg);
		}
		finally {
			this.inRead = false;
		}
	}

	/**
	 * After a connection error the rest of what was read is not decoded: the connection is going away, and a flood's
	 * frames cost nothing more than the bytes (the codec's frame reader already skips after its own errors, not after
	 * those raised by the frame listener, such as the control frame and reset limits).
	 */
	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
		if (this.failed) {
			in.skipBytes(in.readableBytes());
			return;
		}
		super.decode(ctx, in, out);
	}

	/**
	 * A close asked for while the connection lingers after an error (the server stopping, or closing connections
	 * gracefully) does not wait for the lingering to end: the GOAWAY is out, and this close is final.
	 */
	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
		if (this.lingering != null) {
			this.lingering.closeNow(promise);
			return;
		}
		super.close(ctx, promise);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		// The codec flushes after each read and asks the socket for more.
		this.batchFlush.flushedElsewhere();
		super.channelReadComplete(ctx);
	}

	/**
	 * HTTP/2 errors go to the codec (GOAWAY with their code). Anything else ends the connection here, as on HTTP/1.1:
	 * an I/O error (most often a peer's reset) quietly, another failure with {@code GOAWAY(INTERNAL_ERROR)}; the codec
	 * alone would pass them to the pipeline's tail, which logs a warning for every client that resets its connection.
	 */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
		if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
			super.exceptionCaught(ctx, cause);
			return;
		}
		if (cause instanceof IOException) {
			ctx.close();
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Closing HTTP/2 connection " + ctx.channel() + " after an error", cause);
		}
		onError(ctx, false, cause);
	}

	@Override
	protected void onConnectionError(ChannelHandlerContext ctx, boolean outbound, Throwable cause,
			Http2Exception http2Ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("HTTP/2 connection error on " + ctx.channel() + "; sending GOAWAY and closing", cause);
		}
		if (http2Ex != null && !this.goAwayCounted) {
			// Once per connection: the codec may report the frames still buffered after the first error.
			this.goAwayCounted = true;
			this.stats.rejected((http2Ex.error() == Http2Error.ENHANCE_YOUR_CALM) ? Rejection.H2_FLOOD
					: Rejection.H2_PROTOCOL_ERROR);
		}
		// A GOAWAY with an error is followed by the codec's close at once; one with NO_ERROR lets the streams finish.
		if (!this.failed && (http2Ex == null || http2Ex.error() != Http2Error.NO_ERROR)) {
			this.failed = true;
			stopServing();
			// Before the codec writes its GOAWAY: the close it asks for once that is out then lingers.
			this.lingering = LingeringClose.lingerOnClose(ctx.channel());
		}
		super.onConnectionError(ctx, outbound, cause, http2Ex);
	}

	/**
	 * Counts the resets the server sends: its own (malformed requests, failed exchanges, early answers) and the
	 * codec's stream errors (refused streams, flow control, frames on closed streams), which come here too. A stream
	 * already reset is not reset again.
	 */
	@Override
	public ChannelFuture resetStream(ChannelHandlerContext ctx, int streamId, long errorCode, ChannelPromise promise) {
		Http2Stream stream = connection().stream(streamId);
		if (stream == null || !stream.isResetSent()) {
			this.stats.streamReset(false, errorCode);
		}
		return super.resetStream(ctx, streamId, errorCode, promise);
	}

	/**
	 * Counts the GOAWAY the server sends: once per connection, the first (the codec may repeat it with a lower last
	 * stream id, or be asked again while it closes).
	 */
	@Override
	public ChannelFuture goAway(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData,
			ChannelPromise promise) {
		if (!connection().goAwaySent()) {
			this.stats.goAway(false, errorCode);
		}
		return super.goAway(ctx, lastStreamId, errorCode, debugData, promise);
	}

	/** The codec answers a header list over the limit with 431 on its stream (RFC 9113 8.2.2 allows it); counted. */
	@Override
	protected void handleServerHeaderDecodeSizeError(ChannelHandlerContext ctx, Http2Stream stream) {
		this.stats.rejected(Rejection.HEADERS_TOO_LARGE);
		super.handleServerHeaderDecodeSizeError(ctx, stream);
	}

	/**
	 * After {@code 101 Switching Protocols} (RFC 7540 3.2): applies the settings the client sent in its
	 * {@code HTTP2-Settings} field, opens stream 1 half-closed by the client and serves the request that asked for the
	 * upgrade on it, as if its HEADERS had arrived with END_STREAM. Runs on the loop right after this handler was added.
	 */
	void upgraded(Http2Settings clientSettings, Http2Headers requestHead) {
		try {
			onHttpServerUpgrade(clientSettings);
		}
		catch (Http2Exception ex) {
			onError(this.ctx, false, ex);
			return;
		}
		onRequestHeaders(HTTP_UPGRADE_STREAM_ID, requestHead, true);
		flush(this.ctx);
	}

	/**
	 * The connection is going away after an error: no stream gets another frame (its sending side closes right after
	 * the GOAWAY), and an exchange that asks whether its connection is open hears no now rather than when the
	 * lingering ends; the streams themselves close with the channel.
	 */
	private void stopServing() {
		this.open = false;
		cancelIdleTimer();
	}

	// ---- inbound frames

	/** What the codec reports, turned into exchanges and request body bytes. */
	private final class Frames extends Http2FrameAdapter {

		@Override
		public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
				short weight, boolean exclusive, int padding, boolean endOfStream) {
			onHeadersRead(ctx, streamId, headers, padding, endOfStream);
		}

		@Override
		public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
				boolean endOfStream) {
			onRequestHeaders(streamId, headers, endOfStream);
		}

		@Override
		public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
			return onRequestData(streamId, data, padding, endOfStream);
		}

		@Override
		public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
			H2Connection.this.stats.streamReset(true, errorCode);
		}

		@Override
		public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
			H2Connection.this.stats.goAway(true, errorCode);
		}

		// The codec has answered these already (PING and SETTINGS acks); a client that reads the answers can send
		// them without end, so they are counted here.

		@Override
		public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
			H2Connection.this.controlFrames.count();
		}

		@Override
		public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
			H2Connection.this.controlFrames.count();
		}

		@Override
		public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
				boolean exclusive) throws Http2Exception {
			H2Connection.this.controlFrames.count();
		}

	}

	private void onRequestHeaders(int streamId, Http2Headers headers, boolean endOfStream) {
		this.lastActiveNanos = System.nanoTime();
		Http2Stream stream = connection().stream(streamId);
		if (stream == null) {
			return;
		}
		H2Exchange existing = stream.getProperty(this.exchangeKey);
		if (existing != null) {
			// Trailers (the codec refuses a second HEADERS without END_STREAM).
			if (endOfStream) {
				try {
					existing.requestTrailersArrived(HeaderTranslation.requestTrailers(headers));
				}
				catch (IllegalArgumentException ex) {
					// RFC 9113 8.1: pseudo-header fields in trailers, or an invalid field, make the request malformed.
					this.stats.rejected(Rejection.BAD_REQUEST);
					resetStream(this.ctx, streamId, Http2Error.PROTOCOL_ERROR.code(), this.ctx.newPromise());
					return;
				}
				existing.body().end();
			}
			return;
		}
		H2Exchange exchange;
		try {
			if (!HeaderTranslation.hasRequiredPseudoHeaders(headers)) {
				throw new IllegalArgumentException("A required pseudo-header field is missing");
			}
			exchange = new H2Exchange(this, streamId, headers, endOfStream, this.lane, this.ctx.alloc(), this.config);
		}
		catch (IllegalArgumentException ex) {
			// RFC 9113 8.1.1: a malformed request is a stream error of type PROTOCOL_ERROR.
			this.stats.rejected(Rejection.BAD_REQUEST);
			resetStream(this.ctx, streamId, Http2Error.PROTOCOL_ERROR.code(), this.ctx.newPromise());
			return;
		}
		stream.setProperty(this.exchangeKey, exchange);
		if (endOfStream) {
			exchange.body().end();
		}
		exchange.dispatched = true;
		if (!RequestAdmission.offer(this.dispatcher, this.stats, this.config, exchange, protocolIndex())) {
			exchange.dispatched = false;
			exchange.refused();
			refuse(stream, exchange);
		}
	}

	private int onRequestData(int streamId, ByteBuf data, int padding, boolean endOfStream) {
		Http2Stream stream = connection().stream(streamId);
		H2Exchange exchange = (stream != null) ? stream.getProperty(this.exchangeKey) : null;
		if (exchange == null || exchange.isRefused()) {
			// Nobody will read it: give the window back at once.
			return data.readableBytes() + padding;
		}
		if (data.isReadable()) {
			exchange.body().offer(data.retain());
		}
		if (endOfStream) {
			exchange.body().end();
		}
		// Padding is nobody's to read; the data is returned as the application consumes it (returnBytes).
		return padding;
	}

	/**
	 * Answers a stream the request queue refused from the I/O tier (503, see {@link RequestAdmission}), then resets it
	 * if the request is still coming.
	 */
	private void refuse(Http2Stream stream, H2Exchange exchange) {
		byte[] text = RequestAdmission.refusalBody();
		Http2Headers head = RequestAdmission.refusalHead(new DefaultHttp2Headers(), text.length, this.config);
		this.stats.answeredLocally(exchange, RequestAdmission.REFUSED.code(), text.length);
		int streamId = stream.id();
		encoder().writeHeaders(this.ctx, streamId, head, 0, false, this.ctx.newPromise());
		ChannelFuture sent = encoder().writeData(this.ctx, streamId, Unpooled.wrappedBuffer(text), 0, true,
				this.ctx.newPromise());
		resetAfter(sent, streamId);
	}

	/**
	 * Once {@code lastWrite} is out, resets the stream with NO_ERROR if the client is still sending its request
	 * (RFC 9113 8.1): the answer is complete and the rest of the body is not wanted. Resetting sooner would discard the
	 * response frames still waiting for window.
	 */
	private void resetAfter(ChannelFuture lastWrite, int streamId) {
		lastWrite.addListener((future) -> {
			Http2Stream stream = connection().stream(streamId);
			if (stream != null && stream.state() == Http2Stream.State.HALF_CLOSED_LOCAL) {
				resetStream(this.ctx, streamId, Http2Error.NO_ERROR.code(), this.ctx.newPromise());
				flush(this.ctx);
			}
		});
	}

	/** Tells exchanges that their stream closed (ended, reset by either side, or the connection went away). */
	private final class StreamEvents extends Http2ConnectionAdapter {

		@Override
		public void onStreamClosed(Http2Stream stream) {
			H2Exchange exchange = stream.getProperty(H2Connection.this.exchangeKey);
			if (exchange != null) {
				exchange.onStreamClosed();
			}
			H2Connection.this.lastActiveNanos = System.nanoTime();
		}

	}

	// ---- outbound: run on the loop by the exchanges' tasks

	@Override
	public FlushTarget writePart(H2Exchange exchange, Http2Headers head, ByteBuf content, int length, boolean last) {
		Http2Stream stream = liveStream(exchange);
		if (stream == null) {
			if (content != null) {
				content.release();
				exchange.onSent(length);
			}
			if (last) {
				exchangeEnded(exchange, true);
			}
			return null;
		}
		int streamId = exchange.streamId();
		ChannelFuture lastWrite = null;
		HttpHeaders trailers = last ? exchange.takeTrailers() : null;
		// With trailers the stream ends with their HEADERS frame (RFC 9113 8.1), not with the body.
		boolean endWithBody = last && trailers == null;
		if (head != null) {
			exchange.headSent = true;
			lastWrite = encoder().writeHeaders(this.ctx, streamId, head, 0, endWithBody && content == null,
					this.ctx.newPromise());
		}
		if (content != null) {
			ChannelPromise sent = this.ctx.newPromise();
			sent.addListener((future) -> exchange.onSent(length));
			lastWrite = encoder().writeData(this.ctx, streamId, content, 0, endWithBody, sent);
		}
		else if (endWithBody && head == null) {
			lastWrite = encoder().writeData(this.ctx, streamId, Unpooled.EMPTY_BUFFER, 0, true, this.ctx.newPromise());
		}
		if (trailers != null) {
			Http2Headers fields = HeaderTranslation.responseFields(trailers,
					new DefaultHttp2Headers(false, trailers.size()));
			lastWrite = encoder().writeHeaders(this.ctx, streamId, fields, 0, true, this.ctx.newPromise());
		}
		if (last) {
			exchangeEnded(exchange, false);
			if (!exchange.body().isEnded()) {
				resetAfter(lastWrite, streamId);
			}
		}
		return this.batchFlush;
	}

	/** The exchange failed: its stream alone is reset; the connection and its other streams go on. */
	@Override
	public FlushTarget abortExchange(H2Exchange exchange, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Aborting " + exchange + ": " + cause);
		}
		exchangeEnded(exchange, true);
		if (liveStream(exchange) == null) {
			return null;
		}
		resetStream(this.ctx, exchange.streamId(), Http2Error.INTERNAL_ERROR.code(), this.ctx.newPromise());
		return this.batchFlush;
	}

	@Override
	public FlushTarget sendContinue(H2Exchange exchange) {
		if (exchange.headSent || exchange.continueSent || liveStream(exchange) == null) {
			return null;
		}
		exchange.continueSent = true;
		encoder().writeHeaders(this.ctx, exchange.streamId(), new DefaultHttp2Headers().status("100"), 0, false,
				this.ctx.newPromise());
		return this.batchFlush;
	}

	/** The application consumed {@code bytes} of a stream's request body: the client may send that much more. */
	FlushTarget returnBytes(H2Exchange exchange, int bytes) {
		Http2Stream stream = liveStream(exchange);
		if (stream == null) {
			// A closed stream's unconsumed bytes went back to the connection window when it closed.
			return null;
		}
		try {
			return decoder().flowController().consumeBytes(stream, bytes) ? this.batchFlush : null;
		}
		catch (Http2Exception ex) {
			onError(this.ctx, true, ex);
			return this.batchFlush;
		}
	}

	/**
	 * Runs an exchange's task at once, for work already on this loop (the reactive adapter's event-loop mode). Inside a
	 * read the codec flushes when the read completes; otherwise now.
	 */
	@Override
	public void runOnLoop(OutboundTask task) {
		FlushTarget target = task.runOnLoop();
		if (target != null && target.markFlushPending() && !this.inRead) {
			target.flushNow();
		}
	}

	private Http2Stream liveStream(H2Exchange exchange) {
		if (!this.open) {
			return null;
		}
		Http2Stream stream = connection().stream(exchange.streamId());
		return (stream != null && stream.state() != Http2Stream.State.CLOSED) ? stream : null;
	}

	/** {@code h2} or {@code h2c} in {@link HttpServerStats#PROTOCOLS}. */
	private int protocolIndex() {
		return this.secure ? HttpServerStats.H2 : HttpServerStats.H2C;
	}

	private void exchangeEnded(H2Exchange exchange, boolean aborted) {
		if (exchange.dispatched) {
			exchange.dispatched = false;
			this.stats.exchangeEnded();
			this.stats.requestEnded(protocolIndex(), exchange.status(), aborted);
			this.stats.exchangeCompleted(exchange, aborted);
		}
	}

	// ---- idle timeout

	/** Closes the connection (GOAWAY first, by the codec) once no stream has been open for the keep-alive timeout. */
	private void armIdleTimer(long delayNanos) {
		this.idleTimer = this.ctx.executor().schedule(this::onIdleTimer, delayNanos, TimeUnit.NANOSECONDS);
	}

	private void onIdleTimer() {
		this.idleTimer = null;
		if (!this.open) {
			return;
		}
		long timeout = this.config.getKeepAliveTimeout().toNanos();
		long idle = System.nanoTime() - this.lastActiveNanos;
		if (connection().numActiveStreams() == 0 && idle >= timeout) {
			// Through the whole pipeline, this handler included: the codec's close sends GOAWAY first.
			this.ctx.channel().close();
			return;
		}
		armIdleTimer((connection().numActiveStreams() == 0) ? timeout - idle : timeout);
	}

	private void cancelIdleTimer() {
		if (this.idleTimer != null) {
			this.idleTimer.cancel(false);
			this.idleTimer = null;
		}
	}

	// ---- for the exchanges

	/** Whether exchanges read the clocks for a completion listener (the access log). */
	@Override
	public boolean timesExchanges() {
		return this.stats.timesExchanges();
	}

	@Override
	public boolean isOpen() {
		return this.open;
	}

	/** Whether this connection is TLS (not what a proxy in front says; see {@link #scheme()}). */
	boolean secure() {
		return this.secure;
	}

	/**
	 * The requests' scheme: {@code https} when this connection is TLS, or when a trusted proxy's PROXY v2 header says
	 * that the client reached the proxy over TLS ({@code PP2_CLIENT_SSL}), as {@code X-Forwarded-Proto} would. Looked
	 * up once, when the connection became HTTP/2; set on the loop before any stream is dispatched, so workers see it.
	 */
	String scheme() {
		return this.scheme;
	}

	@Override
	public boolean inEventLoop() {
		return this.ctx.executor().inEventLoop();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.ctx.executor().schedule(task, delay, unit);
	}

	/** Safe from a worker: the TLS handler stays in the pipeline for the connection's life. */
	@Override
	public SSLSession tlsSession() {
		SslHandler tls = this.ctx.pipeline().get(SslHandler.class);
		return (tls != null) ? tls.engine().getSession() : null;
	}

	/** The socket's peer, or the PROXY header's client; see {@link ConnectionAddresses}. */
	@Override
	public InetSocketAddress remoteAddress() {
		return ConnectionAddresses.remote(this.ctx.channel());
	}

	@Override
	public InetSocketAddress localAddress() {
		return ConnectionAddresses.local(this.ctx.channel());
	}

	Map<String, Object> connectionAttributes() {
		return ConnectionAddresses.attributes(this.ctx.channel());
	}

}
