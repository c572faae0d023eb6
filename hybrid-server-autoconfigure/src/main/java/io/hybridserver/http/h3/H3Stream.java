package io.hybridserver.http.h3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3Exception;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicException;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

import io.hybridserver.http.CoalescingFlush;
import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HeaderTranslation;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.RequestAdmission;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.ResponseRoute;
import io.hybridserver.http.StreamCarrier;

/**
 * One HTTP/3 request stream, after Netty's frame codec and validation: its HEADERS become an {@link H3Exchange} handed
 * to the dispatcher (a 503 on this stream alone when the request queue is full), its DATA the exchange's request body,
 * and the exchange's {@link OutboundTask}s write their frames here, flushed once per batch of the loop's response lane.
 *
 * <p>The stream channel reads only while the body has room: when the worker falls behind, auto-read goes off and QUIC's
 * flow control holds the client back; the worker's drain turns it on again ({@link #resumeReadingTask()}).
 */
final class H3Stream extends Http3RequestStreamInboundHandler
		implements StreamCarrier<Http3Headers, H3Exchange> {

	private static final Log logger = LogFactory.getLog(H3Stream.class);

	private final HttpServerConfig config;

	private final HttpServerStats stats;

	private final LoopDispatch.PerLoop dispatchers;

	private final ResponseRoute route;

	private final H3Connection connection;

	private ChannelHandlerContext ctx;

	private ResponseLane lane;

	private LoopDispatch dispatcher;

	private volatile boolean open = true;

	// Loop-confined.
	private H3Exchange exchange;

	private CoalescingFlush batchFlush;

	private boolean inRead;

	H3Stream(HttpServerConfig config, HttpServerStats stats, LoopDispatch.PerLoop dispatchers, ResponseRoute route,
			H3Connection connection) {
		this.config = config;
		this.stats = stats;
		this.dispatchers = dispatchers;
		this.route = route;
		this.connection = connection;
	}

	// ---- lifecycle

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		this.batchFlush = new CoalescingFlush(ctx);
		this.lane = this.route.laneFor(ctx.channel().eventLoop());
		this.dispatcher = this.dispatchers.forLoop(ctx.channel().eventLoop());
		this.connection.streamOpened(streamId());
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.open = false;
		H3Exchange current = this.exchange;
		if (current != null) {
			// The exchange is counted as ended when its worker lets go of it (the write or abort that finds the stream
			// closed), as on HTTP/2: graceful shutdown waits for the worker, not only for the stream.
			current.onStreamClosed();
		}
		this.connection.streamClosed();
		super.channelInactive(ctx);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
		this.inRead = false;
		H3Exchange current = this.exchange;
		if (current != null && !current.isRefused() && !current.body().isEnded() && !current.body().wantsMore()) {
			// The worker has not taken what it has: stop reading, so that QUIC stops crediting the client.
			ctx.channel().config().setAutoRead(false);
		}
		// The batch's writes made while reading (the reactive adapter's event-loop mode) leave now.
		if (this.batchFlush.isPending()) {
			this.batchFlush.flushNow();
		}
		super.channelReadComplete(ctx);
	}

	// ---- inbound frames

	@Override
	protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
		this.inRead = true;
		try {
			if (this.exchange == null) {
				onRequestHeaders(frame.headers());
			}
			else {
				onTrailers(frame.headers());
			}
		}
		finally {
			ReferenceCountUtil.release(frame);
		}
	}

	@Override
	protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
		this.inRead = true;
		H3Exchange current = this.exchange;
		if (current == null || current.isRefused() || !frame.content().isReadable()) {
			frame.release();
			return;
		}
		current.body().offer(frame.content().retain());
		frame.release();
	}

	@Override
	protected void channelInputClosed(ChannelHandlerContext ctx) {
		H3Exchange current = this.exchange;
		if (current != null) {
			current.body().end();
		}
	}

	private void onRequestHeaders(Http3Headers headers) {
		H3Exchange created;
		try {
			if (!HeaderTranslation.hasRequiredPseudoHeaders(headers)) {
				throw new IllegalArgumentException("A required pseudo-header field is missing");
			}
			created = new H3Exchange(this, headers, this.lane, this.ctx.alloc(), this.config);
		}
		catch (IllegalArgumentException ex) {
			// RFC 9114 4.1.2: a malformed request is a stream error of type H3_MESSAGE_ERROR.
			this.stats.rejected(Rejection.BAD_REQUEST);
			if (logger.isDebugEnabled()) {
				logger.debug("Malformed HTTP/3 request on stream " + streamId() + ": " + ex.getMessage());
			}
			streamChannel().shutdown(Http3ErrorCode.H3_MESSAGE_ERROR.code());
			return;
		}
		this.exchange = created;
		created.dispatched = true;
		if (!RequestAdmission.offer(this.dispatcher, this.stats, this.config, created, HttpServerStats.H3)) {
			created.dispatched = false;
			created.refused();
			refuse();
		}
	}

	private void onTrailers(Http3Headers headers) {
		H3Exchange current = this.exchange;
		if (current.isRefused()) {
			return;
		}
		try {
			current.requestTrailersArrived(HeaderTranslation.requestTrailers(headers));
		}
		catch (IllegalArgumentException ex) {
			this.stats.rejected(Rejection.BAD_REQUEST);
			streamChannel().shutdown(Http3ErrorCode.H3_MESSAGE_ERROR.code());
		}
	}

	/**
	 * Answers the stream the request queue refused from the I/O tier (503, see {@link RequestAdmission}); the rest of
	 * the request is not wanted.
	 */
	private void refuse() {
		byte[] text = RequestAdmission.refusalBody();
		Http3Headers head = RequestAdmission.refusalHead(new DefaultHttp3Headers(), text.length, this.config);
		// The access log's line, as HTTP/1.1 and HTTP/2 give their refusals one.
		this.stats.answeredLocally(this.exchange, RequestAdmission.REFUSED.code(), text.length);
		this.ctx.write(new DefaultHttp3HeadersFrame(head));
		ChannelFuture last = this.ctx.write(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(text)));
		endStream(last, true);
		this.ctx.flush();
	}

	/**
	 * Ends the response side with a FIN once {@code lastWrite} is out; and when the request is still coming, asks the
	 * client to stop sending it (STOP_SENDING with H3_NO_ERROR, RFC 9114 4.1): the answer is complete without it.
	 */
	private void endStream(ChannelFuture lastWrite, boolean requestUnwanted) {
		lastWrite.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
		if (requestUnwanted) {
			lastWrite.addListener((future) -> {
				QuicStreamChannel channel = streamChannel();
				if (channel.isOpen() && !channel.isInputShutdown()) {
					channel.shutdownInput(Http3ErrorCode.H3_NO_ERROR.code());
				}
			});
		}
	}

	// ---- outbound: run on the loop by the exchanges' tasks

	@Override
	public FlushTarget writePart(H3Exchange exchange, Http3Headers head, ByteBuf content, int length, boolean last) {
		if (!this.open) {
			if (content != null) {
				content.release();
				exchange.onSent(length);
			}
			if (last) {
				exchangeEnded(exchange, true);
			}
			return null;
		}
		ChannelFuture lastWrite = null;
		HttpHeaders trailers = last ? exchange.takeTrailers() : null;
		if (head != null) {
			exchange.headSent = true;
			lastWrite = this.ctx.write(new DefaultHttp3HeadersFrame(head));
		}
		if (content != null) {
			ChannelPromise sent = this.ctx.newPromise();
			sent.addListener((future) -> exchange.onSent(length));
			lastWrite = this.ctx.write(new DefaultHttp3DataFrame(content), sent);
		}
		if (trailers != null) {
			Http3Headers fields = HeaderTranslation.responseFields(trailers,
					new DefaultHttp3Headers(true, trailers.size()));
			lastWrite = this.ctx.write(new DefaultHttp3HeadersFrame(fields));
		}
		if (last) {
			if (lastWrite == null) {
				// Nothing left to send but the end: the FIN needs a write to follow.
				lastWrite = this.ctx.write(new DefaultHttp3DataFrame(Unpooled.EMPTY_BUFFER));
			}
			exchangeEnded(exchange, false);
			endStream(lastWrite, !exchange.body().isEnded());
		}
		return this.batchFlush;
	}

	/** The exchange failed: its stream alone is reset (both directions); the connection's other streams go on. */
	@Override
	public FlushTarget abortExchange(H3Exchange exchange, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Aborting " + exchange + ": " + cause);
		}
		exchangeEnded(exchange, true);
		if (!this.open) {
			return null;
		}
		streamChannel().shutdown(Http3ErrorCode.H3_INTERNAL_ERROR.code());
		return this.batchFlush;
	}

	@Override
	public FlushTarget sendContinue(H3Exchange exchange) {
		if (exchange.headSent || exchange.continueSent || !this.open) {
			return null;
		}
		exchange.continueSent = true;
		Http3Headers interim = new DefaultHttp3Headers();
		interim.status("100");
		this.ctx.write(new DefaultHttp3HeadersFrame(interim));
		return this.batchFlush;
	}

	/** An {@link OutboundTask}: the worker drained a paused request body; reading resumes. */
	FlushTarget resumeReadingTask() {
		H3Exchange current = this.exchange;
		if (this.open && current != null && current.body().wantsMore()) {
			this.ctx.channel().config().setAutoRead(true);
		}
		return null;
	}

	/** Runs an exchange's task at once, for work already on this loop; inside a read the flush waits for its end. */
	@Override
	public void runOnLoop(OutboundTask task) {
		FlushTarget target = task.runOnLoop();
		if (target != null && target.markFlushPending() && !this.inRead) {
			target.flushNow();
		}
	}

	private void exchangeEnded(H3Exchange exchange, boolean aborted) {
		if (exchange.dispatched) {
			exchange.dispatched = false;
			this.stats.exchangeEnded();
			this.stats.requestEnded(HttpServerStats.H3, exchange.status(), aborted);
			this.stats.exchangeCompleted(exchange, aborted);
		}
	}

	// ---- errors

	@Override
	protected void handleQuicException(ChannelHandlerContext ctx, QuicException exception) {
		quietClose(ctx, exception);
	}

	@Override
	protected void handleHttp3Exception(ChannelHandlerContext ctx, Http3Exception exception) {
		this.stats.rejected(Rejection.BAD_REQUEST);
		quietClose(ctx, exception);
	}

	/** An I/O error or a client's reset ends the stream quietly, as on HTTP/1.1 and HTTP/2. */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof IOException) {
			quietClose(ctx, cause);
			return;
		}
		super.exceptionCaught(ctx, cause);
	}

	private void quietClose(ChannelHandlerContext ctx, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("HTTP/3 stream " + streamId() + " ends: " + cause);
		}
		ctx.close();
	}

	// ---- for the exchange

	private QuicStreamChannel streamChannel() {
		return (QuicStreamChannel) this.ctx.channel();
	}

	long streamId() {
		return streamChannel().streamId();
	}

	@Override
	public boolean isOpen() {
		return this.open && this.ctx.channel().isActive();
	}

	@Override
	public boolean inEventLoop() {
		return this.ctx.executor().inEventLoop();
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.ctx.executor().schedule(task, delay, unit);
	}

	private QuicChannel quicChannel() {
		return streamChannel().parent();
	}

	@Override
	public SSLSession tlsSession() {
		SSLEngine engine = quicChannel().sslEngine();
		return (engine != null) ? engine.getSession() : null;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return (InetSocketAddress) quicChannel().remoteSocketAddress();
	}

	@Override
	public InetSocketAddress localAddress() {
		return (InetSocketAddress) quicChannel().localSocketAddress();
	}


	/** Whether exchanges take their start times (for the access log), as {@link HttpServerStats#timesExchanges()}. */
	@Override
	public boolean timesExchanges() {
		return this.stats.timesExchanges();
	}

}
