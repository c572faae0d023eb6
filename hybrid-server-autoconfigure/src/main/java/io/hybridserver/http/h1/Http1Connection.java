package io.hybridserver.http.h1;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import io.hybridserver.http.CoalescingFlush;
import io.hybridserver.http.ConnectionUpgrade;
import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.http.LingeringClose;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.OutboundTask;
import io.hybridserver.http.ProtocolNegotiation;
import io.hybridserver.http.RequestAdmission;
import io.hybridserver.http.RequestBodyBudget;
import io.hybridserver.http.RequestBodyTimeoutException;
import io.hybridserver.http.UnreadRequest;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.ResponseRoute;
import io.hybridserver.transport.ConnectionAddresses;

/**
 * One HTTP/1.1 connection, after the decoder: turns decoded requests into {@link Http1Exchange}s, keeps them in
 * request order, hands each to the {@link ExchangeDispatcher} when its turn comes, and writes what the workers send back.
 *
 * <p>Reading is demand-driven ({@code autoRead} is off): the connection asks the socket for more only while it has room
 * for another pipelined request and the request body being received is below its buffer mark. That one rule gives
 * backpressure for slow workers, a bound on pipelining, and no read while the server is answering a bad request.
 *
 * <p>A request whose body is still arriving waits here, not on a worker, until the body has arrived or filled its
 * buffer; a body that arrives too slowly is cut ({@link RequestBodyGuard}).
 *
 * <p>Timeouts use one timer: a fresh connection and a started request head must complete within the connection
 * timeout (else 408 and close); an idle keep-alive connection is closed quietly after the keep-alive timeout.
 */
final class Http1Connection extends ChannelDuplexHandler {

	private static final Log logger = LogFactory.getLog(Http1Connection.class);

	/**
	 * How long a reader's held-back wake-up waits for the next read batch: far longer than a loaded loop takes to come
	 * back to a socket that has bytes, and short enough that a client pausing exactly at a read buffer's edge is not
	 * noticed.
	 */
	private static final long HELD_WAKE_CHECK_MICROS = 1000;

	/** The answer to a request the full request queue refused (counted by {@link RequestAdmission}). */
	private static final LocalAnswer REFUSED = new LocalAnswer(RequestAdmission.REFUSED,
			RequestAdmission.REFUSED_MESSAGE, Rejection.QUEUE_FULL);

	private enum TimerMode {

		NONE, FRESH, IDLE, HEAD

	}

	private final HttpServerConfig config;

	private final boolean secure;

	/** What {@link #remoteHostAddress()} answers, once asked. */
	private volatile String remoteHostAddress;

	/** What {@link #scheme()} answers, fixed when the first request head arrives. */
	private String scheme;

	private final HttpServerStats stats;

	private final LoopDispatch.PerLoop dispatchers;

	/** This connection's loop's way to the dispatcher, set when the handler is added. */
	private LoopDispatch dispatcher;

	private final ResponseRoute route;

	private final ArrayDeque<Http1Exchange> pending = new ArrayDeque<>();

	private final RequestHeadValidator validator;

	private final ResponseEncoder encoder = new ResponseEncoder();

	private final RequestBodyGuard bodyGuard;

	private ChannelHandlerContext ctx;

	private ResponseLane lane;

	private volatile boolean open;

	private Http1Exchange receiving;

	private boolean closing;

	/** The response lane's one flush per batch; made when the handler is added. */
	private CoalescingFlush batchFlush;

	/** Inside channelRead: writes made on the loop are flushed once, at channelReadComplete. */
	private boolean inRead;

	private boolean flushAfterRead;

	private int requestsSeen;

	/** The decoder holds the bytes after this upgrade request until it is answered (see Http1RequestDecoder). */
	private Http1Exchange upgradeHeld;

	private TimerMode timerMode = TimerMode.NONE;

	/** When the armed mode's time is up. */
	private long deadlineNanos;

	/** The scheduled timer, which may be due before {@link #deadlineNanos} (it then re-arms itself), or null. */
	private ScheduledFuture<?> timer;

	/** When {@link #timer} is due. */
	private long timerDueNanos;

	private final Runnable onTimer = this::onTimer;

	/** The task a worker sends when it drained a paused request body: one per connection, not one per request. */
	private final OutboundTask resumeReading = this::resumeReadingTask;

	/** The server-wide allowance this connection's request bodies grow their buffers from. */
	private final RequestBodyBudget requestBodyBudget;

	/** The channel's read allocation handle, which tells whether the last socket read filled its buffer. */
	private RecvByteBufAllocator.Handle readHandle;

	/** A task is scheduled to wake the reader of a body whose wake-up the loop holds back (see channelReadComplete). */
	private boolean heldWakeCheckScheduled;

	/** Read batches completed since that task was scheduled. */
	private int readsSinceHeldWakeCheck;

	private final Runnable heldWakeCheck = this::heldWakeCheck;

	private boolean bytesSinceIdle;

	private long idleStartNanos;

	/** What may take this connection over on an {@code Upgrade} request, or {@code null}. */
	private ProtocolNegotiation upgrades;

	/**
	 * @param secure whether the connection is encrypted (decides {@link Exchange#scheme()})
	 */
	Http1Connection(HttpServerConfig config, HttpServerStats stats, LoopDispatch.PerLoop dispatchers,
			ResponseRoute route, boolean secure) {
		this.config = config;
		this.secure = secure;
		this.stats = stats;
		this.dispatchers = dispatchers;
		this.route = route;
		this.validator = new RequestHeadValidator(config);
		this.bodyGuard = new RequestBodyGuard(this, config);
		this.requestBodyBudget = config.requestBodyBudget();
	}

	/** The server-wide allowance request bodies grow their buffers from. */
	RequestBodyBudget requestBodyBudget() {
		return this.requestBodyBudget;
	}

	/** Lets {@code negotiation} take the connection over when a request asks for it (clear text only). */
	void offerUpgrades(ProtocolNegotiation negotiation) {
		this.upgrades = negotiation;
	}

	/** The handler placed before the decoder: it only notices that bytes arrived, for the head timeout. */
	ChannelInboundHandler rawBytesObserver() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (msg instanceof ByteBuf buf && buf.isReadable()) {
					onRawBytes();
				}
				ctx.fireChannelRead(msg);
			}

		};
	}

	// ---- lifecycle

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		this.batchFlush = new CoalescingFlush(ctx);
		this.lane = this.route.laneFor(ctx.channel().eventLoop());
		this.dispatcher = this.dispatchers.forLoop(ctx.channel().eventLoop());
	}

	/** Removed from a connection that switched protocols before its first request: its timer must not fire. */
	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelTimer();
		this.bodyGuard.close();
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.open = true;
		arm(TimerMode.FRESH, this.config.getConnectionTimeout().toNanos());
		ctx.read();
		super.channelActive(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.open = false;
		cancelTimer();
		this.bodyGuard.close();
		Http1Exchange exchange;
		while ((exchange = this.pending.poll()) != null) {
			exchange.onConnectionClosed();
		}
		if (this.receiving != null) {
			this.receiving.onConnectionClosed();
			this.receiving = null;
		}
		super.channelInactive(ctx);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt instanceof ChannelInputShutdownEvent) {
			// The client half-closed: answer what it asked for, then close.
			this.closing = true;
			if (this.receiving != null) {
				bodyCutShort(this.receiving);
			}
			if (this.pending.isEmpty()) {
				ctx.close();
			}
			else {
				// Whoever waits for something to send (an asynchronous request) learns the client has left.
				for (Http1Exchange exchange : this.pending) {
					if (exchange.dispatched) {
						exchange.onInputClosed();
					}
				}
			}
			return;
		}
		super.userEventTriggered(ctx, evt);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (!(cause instanceof IOException) && logger.isDebugEnabled()) {
			logger.debug("Closing connection " + ctx.channel() + " after an error", cause);
		}
		ctx.close();
	}

	// ---- inbound

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.inRead = true;
		try {
			if (msg instanceof HttpRequest request) {
				onRequestHead(request);
			}
			if (msg instanceof HttpContent content) {
				onContent(content);
				return;
			}
		}
		catch (RuntimeException ex) {
			ReferenceCountUtil.release(msg);
			throw ex;
		}
		ReferenceCountUtil.release(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		this.inRead = false;
		this.readsSinceHeldWakeCheck++;
		if (this.flushAfterRead) {
			this.flushAfterRead = false;
			this.batchFlush.flushNow();
		}
		boolean reading = maybeRead();
		Http1Exchange exchange = this.receiving;
		if (exchange != null && exchange.body().holdsWake()) {
			if (reading && lastReadFilledItsBuffer() && exchange.body().hasWaitingReader()) {
				// The socket most likely holds more of the body: read it before waking the reader. (With nobody
				// waiting, as for a body still at the gate, there is nothing to hold, and no check to schedule.)
				holdWakeUntilNextRead();
			}
			else {
				exchange.body().releaseHeldWake();
			}
		}
	}

	/** Whether the last socket read filled the buffer it was given, so that more bytes are probably waiting. */
	private boolean lastReadFilledItsBuffer() {
		RecvByteBufAllocator.Handle handle = this.readHandle;
		if (handle == null) {
			handle = this.ctx.channel().unsafe().recvBufAllocHandle();
			this.readHandle = handle;
		}
		int read = handle.lastBytesRead();
		return read > 0 && read == handle.attemptedBytesRead();
	}

	/**
	 * Keeps a reader's wake-up held back across read batches, but never past a read that does not come: a read that
	 * filled its buffer exactly with nothing behind it is followed by no further read event on level-triggered
	 * epoll, NIO or io_uring. So a task checks after a millisecond that some read batch completed meanwhile (each one
	 * decides again) and wakes the reader if none did.
	 */
	private void holdWakeUntilNextRead() {
		if (!this.heldWakeCheckScheduled) {
			this.heldWakeCheckScheduled = true;
			this.readsSinceHeldWakeCheck = 0;
			this.ctx.executor().schedule(this.heldWakeCheck, HELD_WAKE_CHECK_MICROS, TimeUnit.MICROSECONDS);
		}
	}

	private void heldWakeCheck() {
		this.heldWakeCheckScheduled = false;
		Http1Exchange exchange = this.receiving;
		if (exchange == null || !exchange.body().holdsWake()) {
			return;
		}
		if (this.readsSinceHeldWakeCheck == 0) {
			exchange.body().releaseHeldWake();
		}
		else {
			// Reads went on and the last one still held the wake-up: check again after the next stretch.
			holdWakeUntilNextRead();
		}
	}

	private void onRequestHead(HttpRequest request) {
		disarmTimer();
		if (this.closing) {
			return;
		}
		this.requestsSeen++;
		if (this.scheme == null) {
			this.scheme = schemeOfConnection();
		}
		// Validated before the exchange exists: building one reads the head (its Content-Length, for one), and a bad
		// head must still be answered in its turn, after the requests pipelined before it.
		LocalAnswer problem = this.validator.check(request);
		if (problem == null && this.upgrades != null && this.pending.isEmpty() && mayUpgrade(request)
				&& this.upgrades.upgrade(this.ctx, request)) {
			// This handler has left the pipeline; the request is answered in the new protocol.
			this.open = false;
			return;
		}
		if (problem == null && this.pending.size() >= this.config.getMaxPipelinedRequests()) {
			// Over the pipelining bound: stop here, answer what came before, then close (RFC 9112, 9.3.2).
			this.stats.rejected(Rejection.PIPELINE_LIMIT);
			this.closing = true;
			this.receiving = null;
			return;
		}
		Http1Exchange exchange = new Http1Exchange(this, request, this.lane, this.ctx.alloc(), this.config);
		if (problem == null && exchange.requestContentLength() == 0 && Http1RequestDecoder.holdsAfter(request)) {
			this.upgradeHeld = exchange;
		}
		if (problem != null) {
			this.closing = true;
			this.receiving = null;
			exchange.localAnswer = problem;
			this.pending.add(exchange);
		}
		else {
			if (exchange.requestContentLength() == 0) {
				// No body will come (RFC 9112 6.3): say so now, so that a handler answering at once (on the loop, or
				// a fast worker) does not see a body still pending and close the connection after its response.
				exchange.body().end();
			}
			else {
				this.receiving = exchange;
				this.bodyGuard.watch(exchange);
			}
			this.pending.add(exchange);
		}
		if (this.pending.size() == 1) {
			startNext();
		}
	}

	/**
	 * Whether a request may switch protocols: HTTP/1.1, {@code Upgrade} named in {@code Connection}, and no body. A
	 * body would have to be read and held by the I/O tier before the switch (RFC 9110 7.8); Tomcat buffers up to
	 * {@code maxSavePostSize} and answers 413 beyond it; we answer such a request over HTTP/1.1 instead, which every
	 * client accepts, and hold nothing.
	 */
	private static boolean mayUpgrade(HttpRequest request) {
		// The decoder held what came after it (the same rule), so the new protocol gets every byte.
		return Http1RequestDecoder.holdsAfter(request) && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
				&& HttpUtil.getContentLength(request, 0L) == 0;
	}

	private void onContent(HttpContent content) {
		Http1Exchange exchange = this.receiving;
		if (exchange == null) {
			// Content of a request that is answered locally, dropped, or over the pipelining bound.
			content.release();
			return;
		}
		DecoderResult result = content.decoderResult();
		if (result.isFailure()) {
			content.release();
			// Counted here, as a bad head is: the application only sees its read fail, and may answer anything.
			this.stats.rejected((result.cause() instanceof RequestFramingException framing) ? framing.reason()
					: Rejection.BAD_REQUEST);
			exchange.body().fail(new IOException("Malformed request body: " + result.cause().getMessage()));
			this.receiving = null;
			this.bodyGuard.stop();
			this.closing = true;
			if (this.pending.isEmpty()) {
				this.ctx.close();
			}
			else {
				dispatchIfWaiting(exchange);
			}
			return;
		}
		ByteBuf bytes = content.content();
		if (bytes.isReadable()) {
			this.bodyGuard.onBytes(bytes.readableBytes());
			exchange.body().offer(bytes, lastReadFilledItsBuffer());
		}
		else {
			content.release();
		}
		if (content instanceof LastHttpContent last) {
			exchange.requestTrailersArrived(last.trailingHeaders());
			exchange.body().end();
			this.receiving = null;
			this.bodyGuard.stop();
		}
		dispatchIfWaiting(exchange);
	}

	/** Hands over the exchange at the head of the queue if it waited at the body gate and may go now. */
	private void dispatchIfWaiting(Http1Exchange exchange) {
		if (this.pending.peek() == exchange && !exchange.dispatched && exchange.localAnswer == null
				&& this.bodyGuard.mayDispatch(exchange)) {
			startNext();
		}
	}

	/**
	 * The {@link RequestBodyGuard}'s verdict on the body being received: too slow. Waiting at the gate, the request is
	 * answered 408 by the I/O tier in its turn; with a worker, the worker's read fails and the application answers.
	 * Either way nothing more is read and the connection closes after the answer, lingering.
	 */
	void bodyTooSlow(Http1Exchange exchange, String why) {
		if (this.receiving != exchange || !this.open) {
			return;
		}
		this.closing = true;
		if (exchange.dispatched) {
			this.stats.rejected(Rejection.SLOW_BODY);
		}
		endBodyEarly(exchange, new RequestBodyTimeoutException(why),
				new LocalAnswer(HttpResponseStatus.REQUEST_TIMEOUT, why, Rejection.SLOW_BODY));
	}

	/**
	 * The client half-closed before the body of the request being received ended: that request can never be whole.
	 * With a worker, the worker's read fails and the application answers, as with any broken body. Still waiting at
	 * the body gate, it never reaches the application: the I/O tier answers 400 in its turn. Running the application
	 * only to see it fail would let a client that sends a head, part of a body and a FIN (nothing to it) buy an
	 * application invocation with its error handling (a great deal to the server), and a thousand such clients leaving
	 * at once stalled everyone else for seconds in the slow-client benchmark.
	 */
	private void bodyCutShort(Http1Exchange exchange) {
		String why = "The client closed its side before the request body ended";
		endBodyEarly(exchange, new EOFException(why),
				new LocalAnswer(HttpResponseStatus.BAD_REQUEST, why, Rejection.BAD_REQUEST));
	}

	/**
	 * Ends the body being received before its end: a worker that has the request sees its read fail with
	 * {@code failure}; a request still waiting at the body gate is answered {@code answer} by the I/O tier in its turn.
	 */
	private void endBodyEarly(Http1Exchange exchange, IOException failure, LocalAnswer answer) {
		this.receiving = null;
		this.bodyGuard.stop();
		if (exchange.dispatched) {
			exchange.body().fail(failure);
			return;
		}
		exchange.body().discard();
		exchange.localAnswer = answer;
		if (this.pending.peek() == exchange) {
			startNext();
		}
	}

	/**
	 * Asks the socket for more bytes if there is room for them.
	 * @return whether it asked
	 */
	private boolean maybeRead() {
		if (!this.open) {
			return false;
		}
		Http1Exchange exchange = this.receiving;
		if (exchange != null) {
			// A body in progress is read even when closing: its request was accepted and is owed an answer.
			boolean more = exchange.body().wantsMore();
			this.bodyGuard.reading(exchange, more);
			if (more) {
				this.ctx.read();
			}
			return more;
		}
		if (!this.closing && this.upgradeHeld == null && this.pending.size() < this.config.getMaxPipelinedRequests()) {
			this.ctx.read();
			return true;
		}
		return false;
	}

	/** An {@link OutboundTask}: the worker drained a paused request body. */
	FlushTarget resumeReadingTask() {
		maybeRead();
		return null;
	}

	// ---- handing exchanges over, in order

	private void startNext() {
		Http1Exchange next = this.pending.peek();
		if (next == null) {
			return;
		}
		LocalAnswer answer = next.localAnswer;
		if (answer != null) {
			answerLocally(answer);
			return;
		}
		if (!this.bodyGuard.mayDispatch(next)) {
			// Its body is still arriving: it waits in the I/O tier, not on a worker (see RequestBodyGuard).
			return;
		}
		next.dispatched = true;
		if (!RequestAdmission.offer(this.dispatcher, this.stats, this.config, next,
				HttpServerStats.http1(next.http10))) {
			next.dispatched = false;
			respondLocally(REFUSED, RequestAdmission.retryAfterSeconds(this.config));
		}
	}

	/** Answers the exchange at the head of the queue from the I/O tier, counted for its reason, and closes. */
	private void answerLocally(LocalAnswer answer) {
		this.stats.rejected(answer.reason());
		Http1Exchange exchange = this.pending.peek();
		if (exchange != null) {
			this.stats.requestEnded(exchange.http10, answer.status().code(), false);
		}
		respondLocally(answer, 0);
	}

	/**
	 * Answers the exchange at the head of the queue (already counted) from the I/O tier and closes: nothing after it
	 * can be trusted.
	 * @param retryAfterSeconds the {@code Retry-After} to send, {@code 0} for none
	 */
	private void respondLocally(LocalAnswer answer, long retryAfterSeconds) {
		HttpResponseStatus status = answer.status();
		Http1Exchange exchange = this.pending.poll();
		this.closing = true;
		this.receiving = null;
		this.bodyGuard.stop();
		if (exchange != null) {
			exchange.body().discard();
		}
		drainPendingOnClose();
		FullHttpResponse response = LocalResponses.plain(this.ctx.alloc(), status, answer.message(),
				this.config.getServerHeader());
		if (answer.allow() != null) {
			response.headers().set(HttpHeaderNames.ALLOW, answer.allow());
		}
		if (retryAfterSeconds > 0) {
			response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
		}
		if (exchange != null) {
			this.stats.answeredLocally(exchange, status.code(), response.content().readableBytes());
		}
		// The refused request's body, or more requests, may still be on their way.
		LingeringClose.closeAfter(writeLocalAnswer(response));
	}

	/** Writes and flushes an answer of the I/O tier's own; its content is released with it. */
	private ChannelFuture writeLocalAnswer(FullHttpResponse response) {
		ChannelFuture written = this.encoder.write(this.ctx, response, response.content(), true, this.ctx.newPromise());
		this.ctx.flush();
		return written;
	}

	private void drainPendingOnClose() {
		Http1Exchange dropped;
		while ((dropped = this.pending.poll()) != null) {
			dropped.body().discard();
		}
	}

	// ---- outbound: called on the loop from the workers' tasks

	FlushTarget writePart(Http1Exchange exchange, ByteBuf head, ByteBuf content, int length, boolean last) {
		if (!this.open) {
			if (head != null) {
				head.release();
			}
			if (content != null) {
				content.release();
				exchange.onSent(length);
			}
			if (last) {
				exchangeEnded(exchange, true);
			}
			return null;
		}
		if (head != null) {
			head = prepareHead(exchange, head, last);
			exchange.headSent = true;
		}
		ChannelPromise sent = null;
		if (content != null && length > 0) {
			// Bytes someone may wait for (see QueuedResponseExchange.send); the rest go without a promise.
			sent = this.ctx.newPromise();
			sent.addListener((f) -> exchange.onSent(length));
		}
		ChannelFuture written;
		try {
			written = this.encoder.writeEncoded(this.ctx, head, exchange.headFraming, content, last,
					last ? exchange.takeTrailers() : null, sent);
		}
		catch (RuntimeException ex) {
			return encodingFailed(exchange, ex);
		}
		if (last) {
			onResponseComplete(exchange, written);
		}
		return this.batchFlush;
	}

	FlushTarget writeFileRegion(Http1Exchange exchange, ByteBuf head, FileRegion region, long count) {
		if (!this.open) {
			if (head != null) {
				head.release();
			}
			region.release();
			exchange.onSent(count);
			return null;
		}
		if (head != null) {
			head = prepareHead(exchange, head, false);
			exchange.headSent = true;
		}
		ChannelPromise sent = this.ctx.newPromise();
		sent.addListener((f) -> exchange.onSent(count));
		try {
			this.encoder.writeRegionEncoded(this.ctx, head, exchange.headFraming, region, sent);
		}
		catch (RuntimeException ex) {
			return encodingFailed(exchange, ex);
		}
		return this.batchFlush;
	}

	/**
	 * Runs an exchange's task at once, for work that is already on this connection's loop (the reactive adapter's
	 * event-loop mode). The flush is coalesced as the response queue would: once per read, else at once.
	 */
	void runOnLoop(OutboundTask task) {
		FlushTarget target = task.runOnLoop();
		if (target != null && target.markFlushPending()) {
			if (this.inRead) {
				this.flushAfterRead = true;
			}
			else {
				target.flushNow();
			}
		}
	}

	/** A timer on this connection's event loop; see {@link ByteBufExchange#schedule}. */
	ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.ctx.executor().schedule(task, delay, unit);
	}

	/** Whether the calling thread is this connection's event loop. */
	boolean inEventLoop() {
		ChannelHandlerContext context = this.ctx;
		return context != null && context.executor().inEventLoop();
	}

	/** A response the encoder refused (a bug, not bad input) leaves the byte stream in no state to go on with. */
	private FlushTarget encodingFailed(Http1Exchange exchange, RuntimeException cause) {
		logger.error("Could not encode the response of " + exchange + "; closing", cause);
		return abortExchange(exchange, cause);
	}

	FlushTarget abortExchange(Http1Exchange exchange, Throwable cause) {
		if (logger.isDebugEnabled()) {
			logger.debug("Aborting " + exchange + ": " + cause);
		}
		exchangeEnded(exchange, true);
		this.closing = true;
		// What the exchange wrote before it failed (a head, part of a body) goes out ahead of the close: written in the
		// same drain of the response queue, it would otherwise still wait for the drain's flush when the close drops it.
		this.ctx.flush();
		this.ctx.close();
		return null;
	}

	FlushTarget sendContinue(Http1Exchange exchange) {
		if (!this.open || exchange.headSent || exchange.continueSent || this.pending.peek() != exchange) {
			return null;
		}
		exchange.continueSent = true;
		this.bodyGuard.onContinueSent(exchange);
		this.encoder.write(this.ctx, new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), null,
				false, null);
		return this.batchFlush;
	}

	/**
	 * Loop: the keep-alive decision's part that only the loop can make, on a head the worker encoded with its own part
	 * (see {@link Http1Exchange#newHead}). A body still unread when the answer is complete (or never invited by a 100
	 * Continue) will not be read, and a connection that is closing answers this request last: either way the connection
	 * closes after this response, and a head that said otherwise is rewritten to say {@code close}.
	 * @return the head to write: {@code head}, or its rewritten copy (then {@code head} was released)
	 */
	private ByteBuf prepareHead(Http1Exchange exchange, ByteBuf head, boolean last) {
		boolean bodyAbandoned = !exchange.body().isEnded()
				&& (last || exchange.completesWithBody || (exchange.expectContinue && !exchange.continueSent));
		boolean lastAllowed = this.closing && this.pending.size() <= 1;
		boolean keepAlive = exchange.headKeepAlive && !lastAllowed && !bodyAbandoned;
		exchange.keepAlive = keepAlive;
		return (keepAlive || !exchange.headKeepAlive) ? head : exchange.closingHead(head);
	}

	/**
	 * {@link HttpUtil#isKeepAlive} without the value iterators it makes (one per response) when, as usual, the
	 * request has no {@code Connection} field.
	 */
	static boolean requestsKeepAlive(HttpRequest request) {
		return request.headers().contains(HttpHeaderNames.CONNECTION) ? HttpUtil.isKeepAlive(request)
				: request.protocolVersion().isKeepAliveDefault();
	}

	static boolean saysClose(HttpHeaders headers) {
		return headers.contains(HttpHeaderNames.CONNECTION)
				&& headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
	}

	/**
	 * @param lastWrite the future of the response's last bytes, or {@code null} when its end needed none (a body framed
	 * by its length): a keep-alive connection goes on without waiting for it, and a closing one asks for it here
	 */
	private void onResponseComplete(Http1Exchange exchange, ChannelFuture lastWrite) {
		exchangeEnded(exchange, false);
		boolean bodyUnread = !exchange.body().isEnded();
		if (!exchange.keepAlive || bodyUnread) {
			// An unread request body would have to be read and thrown away to find the next request; close instead.
			// Where the client may still be sending (that body, or requests beyond the pipelining bound), close so
			// that the answer survives.
			boolean clientMaySendOn = bodyUnread || this.closing;
			this.closing = true;
			drainPendingOnClose();
			this.receiving = null;
			this.bodyGuard.stop();
			if (clientMaySendOn) {
				LingeringClose.closeAfter(writtenSoFar(lastWrite));
			}
			else {
				writtenSoFar(lastWrite).addListener(ChannelFutureListener.CLOSE);
			}
			return;
		}
		if (!this.pending.isEmpty()) {
			startNext();
		}
		else if (this.closing) {
			LingeringClose.closeAfter(writtenSoFar(lastWrite));
		}
		else {
			this.bytesSinceIdle = false;
			this.idleStartNanos = System.nanoTime();
			arm(TimerMode.IDLE, this.config.getKeepAliveTimeout().toNanos());
		}
		maybeRead();
	}

	/** A future that completes once everything written so far is on the wire (or failed). */
	private ChannelFuture writtenSoFar(ChannelFuture lastWrite) {
		return (lastWrite != null) ? lastWrite : this.ctx.write(Unpooled.EMPTY_BUFFER);
	}

	private void exchangeEnded(Http1Exchange exchange, boolean aborted) {
		if (this.pending.peek() == exchange) {
			this.pending.poll();
		}
		if (this.upgradeHeld == exchange) {
			// Answered without a switch: what the client sent after it is HTTP after all. Parsed in a task of its own,
			// so that requests it finds start after this one's end has been handled, not inside it.
			this.upgradeHeld = null;
			this.ctx.executor().execute(this::resumeDecoder);
		}
		if (exchange.dispatched) {
			exchange.dispatched = false;
			this.stats.exchangeEnded();
			this.stats.requestEnded(exchange.http10, exchange.status(), aborted);
			this.stats.exchangeCompleted(exchange, aborted);
		}
	}

	// ---- switching protocols (RFC 9110, 15.2.2)

	/** Whether the exchange asked for an upgrade this connection can make (see {@link Http1RequestDecoder#holdsAfter}). */
	boolean canUpgrade(Http1Exchange exchange) {
		return this.upgradeHeld == exchange;
	}

	/**
	 * Loop: writes the 101 and gives the connection to the other protocol. The decoder has held every byte after the
	 * request, so nothing is lost: removed last, it hands them to the new protocol's first handler. The 101 is not
	 * flushed here: the new protocol flushes it once it is ready for the client (see {@link ConnectionUpgrade}).
	 */
	FlushTarget switchProtocols(Http1Exchange exchange, HttpResponse head, ConnectionUpgrade upgrade) {
		if (!this.open || this.upgradeHeld != exchange || this.pending.peek() != exchange) {
			// The client left (or the exchange ended) between the 101 decision and now: no new protocol.
			upgrade.abandon();
			exchangeEnded(exchange, true);
			this.ctx.close();
			return null;
		}
		this.upgradeHeld = null;
		prepareSwitchHead(head);
		this.encoder.write(this.ctx, head, null, false, null);
		this.pending.poll();
		if (exchange.dispatched) {
			exchange.dispatched = false;
			this.stats.exchangeEnded();
			this.stats.requestEnded(exchange.http10, 101, false);
		}
		cancelTimer();
		ChannelPipeline pipeline = this.ctx.pipeline();
		String decoder = pipeline.context(Http1RequestDecoder.class).name();
		upgrade.install(pipeline, decoder);
		pipeline.remove(this);
		if (pipeline.get("head-timer") != null) {
			pipeline.remove("head-timer");
		}
		pipeline.remove(decoder);
		return null;
	}

	private void prepareSwitchHead(HttpResponse head) {
		HttpHeaders headers = head.headers();
		headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
		String server = this.config.getServerHeader();
		if (server != null && !headers.contains(HttpHeaderNames.SERVER)) {
			headers.set(HttpHeaderNames.SERVER, server);
		}
	}

	private void resumeDecoder() {
		ChannelHandlerContext decoder = this.ctx.pipeline().context(Http1RequestDecoder.class);
		if (decoder == null || !this.open || this.closing) {
			return;
		}
		try {
			((Http1RequestDecoder) decoder.handler()).resume(decoder);
		}
		catch (Exception ex) {
			this.ctx.fireExceptionCaught(ex);
		}
	}

	// ---- graceful shutdown

	/** Runs on the loop: close now if idle, else after the responses already owed. */
	void closeGracefully() {
		this.closing = true;
		if (this.pending.isEmpty()) {
			this.ctx.close();
		}
	}

	// ---- timers

	private void onRawBytes() {
		if (this.timerMode == TimerMode.IDLE || this.timerMode == TimerMode.FRESH) {
			this.bytesSinceIdle = true;
		}
	}

	/**
	 * Arms the timer for {@code mode}. A timer already scheduled to fire earlier is kept: when it fires it re-arms
	 * itself for what is left. So a keep-alive connection, which disarms at each request head and arms the idle
	 * timeout after each response, schedules (and allocates) one timer per keep-alive timeout, not one per request.
	 */
	private void arm(TimerMode mode, long delayNanos) {
		long deadline = System.nanoTime() + delayNanos;
		this.timerMode = mode;
		this.deadlineNanos = deadline;
		if (this.timer != null) {
			if (this.timerDueNanos - deadline <= 0) {
				return;
			}
			this.timer.cancel(false);
		}
		scheduleTimer(deadline, delayNanos);
	}

	private void scheduleTimer(long deadline, long delayNanos) {
		this.timerDueNanos = deadline;
		this.timer = this.ctx.executor().schedule(this.onTimer, delayNanos, TimeUnit.NANOSECONDS);
	}

	/** Nothing is timed until the next {@link #arm}; the scheduled timer, if any, stays to be re-used or to lapse. */
	private void disarmTimer() {
		this.timerMode = TimerMode.NONE;
	}

	/** Cancels the timer outright: the connection has closed or this handler is leaving its pipeline. */
	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
		this.timerMode = TimerMode.NONE;
	}

	private void onTimer() {
		this.timer = null;
		TimerMode mode = this.timerMode;
		if (mode == TimerMode.NONE) {
			return;
		}
		long remaining = this.deadlineNanos - System.nanoTime();
		if (remaining > 0) {
			// Scheduled for an earlier arming: what is armed now is due later.
			scheduleTimer(this.deadlineNanos, remaining);
			return;
		}
		this.timerMode = TimerMode.NONE;
		if (!this.open || !this.pending.isEmpty()) {
			return;
		}
		if (mode == TimerMode.IDLE && this.bytesSinceIdle) {
			// A new request started during the keep-alive wait: its head gets the connection timeout from then on.
			long elapsed = System.nanoTime() - this.idleStartNanos;
			long headTime = this.config.getConnectionTimeout().toNanos()
					- Math.min(elapsed, this.config.getConnectionTimeout().toNanos() / 2);
			this.bytesSinceIdle = false;
			arm(TimerMode.HEAD, headTime);
			return;
		}
		if ((mode == TimerMode.FRESH && this.bytesSinceIdle) || mode == TimerMode.HEAD) {
			this.stats.rejected(Rejection.TIMEOUT);
			this.closing = true;
			FullHttpResponse response = LocalResponses.plain(this.ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT,
					"The request head did not arrive in time", this.config.getServerHeader());
			if (this.stats.timesExchanges()) {
				// scheme(), not this connection's TLS alone: a trusted proxy's PP2_CLIENT_SSL counts, as for requests.
				this.stats.answeredWithoutRequest(new UnreadRequest(remoteAddress(), localAddress(), scheme(),
						HttpResponseStatus.REQUEST_TIMEOUT.code(), response.content().readableBytes()));
			}
			writeLocalAnswer(response).addListener(ChannelFutureListener.CLOSE);
			return;
		}
		this.ctx.close();
	}

	// ---- for the exchange

	/** How many request heads this connection has read, counting the one being handled. */
	int requestsSeen() {
		return this.requestsSeen;
	}

	/** The task that asks for more request bytes, for a worker that drained a paused body. */
	OutboundTask resumeReading() {
		return this.resumeReading;
	}

	/** The {@code Server} field to send, or {@code null}. */
	String serverHeader() {
		return this.config.getServerHeader();
	}

	/** {@code server.hybrid.http.max-keep-alive-requests}: {@code 0} or less for no cap. */
	int maxKeepAliveRequests() {
		return this.config.getMaxKeepAliveRequests();
	}

	/** Whether exchanges read the clocks for a completion listener (the access log). */
	boolean timesExchanges() {
		return this.stats.timesExchanges();
	}

	boolean isOpen() {
		return this.open;
	}

	/** Whether this connection is TLS (not what a proxy in front says; see {@link #scheme()}). */
	boolean secure() {
		return this.secure;
	}

	/**
	 * The requests' scheme: {@code https} when this connection is TLS, or when a trusted proxy's PROXY v2 header says
	 * that the client reached the proxy over TLS ({@code PP2_CLIENT_SSL}), as {@code X-Forwarded-Proto} would. Looked
	 * up once, at the first request head, not per request; written on the loop before any exchange is dispatched, so
	 * workers see it.
	 */
	String scheme() {
		String known = this.scheme;
		return (known != null) ? known : schemeOfConnection();
	}

	/**
	 * The PROXY header, when the listener reads one, is complete before the first request byte reaches the decoder
	 * ({@code ProxyProtocolHandler} holds every byte until it is done, and no header comes later), so what it says
	 * holds for the connection's life. Not at {@code channelActive}: that comes before the header.
	 */
	private String schemeOfConnection() {
		return (this.secure || ConnectionAddresses.clientOverTls(channel())) ? "https" : "http";
	}

	/** Safe from a worker: the TLS handler stays in the pipeline for the connection's life. */
	SSLSession tlsSession() {
		SslHandler tls = channel().pipeline().get(SslHandler.class);
		return (tls != null) ? tls.engine().getSession() : null;
	}

	/** The socket's peer, or the PROXY header's client; see {@link ConnectionAddresses}. */
	InetSocketAddress remoteAddress() {
		return ConnectionAddresses.remote(channel());
	}

	/**
	 * The peer's address as text, made at the first request that asks and kept: it cannot change while the connection
	 * lives (a PROXY header is read before the first request). Any thread; two racing threads make equal strings.
	 */
	String remoteHostAddress() {
		String known = this.remoteHostAddress;
		if (known == null) {
			InetSocketAddress socket = remoteAddress();
			known = (socket.getAddress() != null) ? socket.getAddress().getHostAddress() : socket.getHostString();
			this.remoteHostAddress = known;
		}
		return known;
	}

	InetSocketAddress localAddress() {
		return ConnectionAddresses.local(channel());
	}

	Map<String, Object> connectionAttributes() {
		return ConnectionAddresses.attributes(channel());
	}

	private Channel channel() {
		return this.ctx.channel();
	}

}
