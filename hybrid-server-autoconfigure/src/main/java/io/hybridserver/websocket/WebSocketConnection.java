package io.hybridserver.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import io.hybridserver.http.GracefulClose;
import io.hybridserver.transport.ConnectionAddresses;

/**
 * One WebSocket connection, after the frame codec: the loop side of a session.
 *
 * <p><b>Reading</b> is demand-driven ({@code autoRead} stays off, as on HTTP/1.1): frames go to the
 * {@link WebSocketListener} through a {@link SerialExecutor} on workers, and the connection asks the socket for more
 * only while the bytes handed over and not yet handled stay below {@link WebSocketSettings#readBuffer()}. A slow
 * endpoint therefore stops reads, and a flood of messages waits in the client's socket, not in our memory.
 *
 * <p><b>Writing</b> is safe from any thread; frames go out in the order each thread sent them. A send queues its
 * frame ({@link OutboundFrames}) and the loop writes what is queued in batches, one flush per connection per batch
 * ({@link OutboundLane}). The bytes not yet taken by the socket are counted: past {@link WebSocketSettings#sendBuffer()}
 * an asynchronous send fails at once and a blocking one waits for room; any frame not taken by the socket within
 * its send timeout fails and closes the connection, since half a frame cannot be taken back.
 *
 * <p><b>Closing</b> follows RFC 6455, 7: a client's close is echoed with its code and the server then closes the TCP
 * connection; our close waits {@link WebSocketSettings#closeTimeout()} for the client's. Protocol errors found by the
 * codec (masking, reserved bits and opcodes, fragmentation, oversized control frames and frames, bad UTF-8, bad close
 * frames) are answered here with 1002, 1007 or 1009 and reach the listener as an error, then a close with that code.
 *
 * <p><b>Message size</b> is bounded here too, across the fragments of a message ({@link #limitMessages}): the frame
 * headers are checked as they arrive ({@link MessageSizeScanner}), so an oversized uncompressed message is refused
 * with 1009 before its payload is buffered, and the payload of each frame is counted after inflation, so a compressed
 * one is refused by the size it inflates to.
 */
public final class WebSocketConnection extends ChannelDuplexHandler implements GracefulClose {

	private static final Log logger = LogFactory.getLog(WebSocketConnection.class);

	/** RFC 6455, 7.4.1: no status code was present; 1006: the connection closed without a close frame. */
	private static final int NO_STATUS = 1005;

	private static final int ABNORMAL = 1006;

	private static final int GOING_AWAY = 1001;

	private final WebSocketSettings settings;

	private final WebSocketListener listener;

	private final SerialExecutor events;

	private final WebSocketWorkers workers;

	private final OutboundFrames outbound;

	private final Runnable onEnd;

	private final WebSocketStats stats;

	/** Bytes handed to the listener and not yet handled: reading stops above the read buffer. */
	private final AtomicLong undelivered = new AtomicLong();

	private final AtomicBoolean closeDelivered = new AtomicBoolean();

	private volatile ChannelHandlerContext ctx;

	private volatile boolean open;

	/** Set once a close frame was sent or is on its way; nothing but a close may follow it (RFC 6455, 5.5.1). */
	private volatile boolean outputClosed;

	private volatile long lastActivityNanos = System.nanoTime();

	/**
	 * Set once the listener's onOpen has returned: nothing is read before, so that the limits it sets there
	 * ({@code Session.setMaxTextMessageBufferSize}) are the ones the first frame's header is checked against.
	 */
	private volatile boolean listenerOpened;

	/** Set by a listener whose consumer wants nothing now (a reactive subscriber without demand): reads stop. */
	private volatile boolean readingPaused;

	private volatile long idleTimeoutNanos;

	/** The largest whole text and binary messages taken (all fragments together, inflated); past them, 1009. */
	private volatile long textLimit;

	private volatile long binaryLimit;

	// Loop state.
	private boolean closeReceived;

	private boolean closeSent;

	/** 1 while a fragmented text message is arriving, 2 for binary, 0 between messages. */
	private int fragmentType;

	/** Payload bytes of the message arriving so far (inflated), for the message limit. */
	private long messageBytes;

	private int closeCode = ABNORMAL;

	private String closeReason = "";

	private ScheduledFuture<?> closeTimer;

	private ScheduledFuture<?> idleTimer;

	/**
	 * @param workers where the listener runs (worker threads), and how frames get back to the loop
	 * @param onEnd runs once on the loop when the connection has closed (session accounting)
	 * @param messageLimit the largest whole message of either kind until {@link #limitMessages} says otherwise
	 */
	WebSocketConnection(WebSocketSettings settings, WebSocketStats stats, WebSocketListener listener,
			WebSocketWorkers workers, Runnable onEnd, long messageLimit) {
		this.settings = settings;
		this.textLimit = messageLimit;
		this.binaryLimit = messageLimit;
		this.stats = stats;
		this.listener = listener;
		this.workers = workers;
		this.events = new SerialExecutor(workers);
		this.outbound = new OutboundFrames(settings.sendBuffer(), this::sendTimedOut);
		this.onEnd = onEnd;
		this.idleTimeoutNanos = settings.idleTimeout().toNanos();
	}

	// ---- lifecycle, on the loop

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		this.events.bind(ctx.executor());
		this.outbound.attach(ctx, this.workers.laneFor(ctx.executor()));
		this.open = ctx.channel().isActive();
		this.stats.opened();
		this.events.execute(() -> {
			try {
				this.listener.onOpen(this);
			}
			finally {
				this.listenerOpened = true;
				ctx.executor().execute(this::announceOpen);
			}
		});
		if (!this.open) {
			ended();
			return;
		}
		armIdleTimer();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		ended();
		super.channelInactive(ctx);
	}

	/**
	 * The client ended its side of the TCP connection (the listeners allow half-closure, for HTTP's sake). Nothing
	 * more can come, its close frame included: the connection is closed now (the session ends with 1006, or with
	 * ours when we had sent a close), instead of holding a session, its slot and its memory for a peer that is gone.
	 */
	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt instanceof ChannelInputShutdownEvent) {
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, evt);
	}

	private void ended() {
		this.open = false;
		this.outputClosed = true;
		cancel(this.closeTimer);
		cancel(this.idleTimer);
		this.outbound.ended();
		if (this.closeDelivered.compareAndSet(false, true)) {
			int code = this.closeCode;
			String reason = this.closeReason;
			this.events.execute(() -> this.listener.onClose(code, reason));
			this.stats.closed(code);
			this.onEnd.run();
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable error) {
		Throwable cause = error;
		DecompressionException inflation = inflationFailure(error);
		if (inflation != null) {
			// Per-message deflate: a frame that inflates past the message limit is 1009, as an oversized message is;
			// compressed data that does not inflate is not a valid payload (1007).
			boolean tooBig = String.valueOf(inflation.getMessage()).contains("maximum size");
			cause = new CorruptedWebSocketFrameException(
					tooBig ? WebSocketCloseStatus.MESSAGE_TOO_BIG : WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
					tooBig ? "Message inflates past the limit" : "Compressed data that does not inflate", inflation);
		}
		if (cause instanceof CorruptedWebSocketFrameException corrupted) {
			// RFC 6455, 7.1.7: fail the connection, with a close frame saying why (1002, 1007, 1009), unless one was
			// sent already; the application learns why.
			this.closeReceived = true;
			if (!this.closeSent && ctx.channel().isActive()) {
				this.closeSent = true;
				this.outputClosed = true;
				this.closeCode = corrupted.closeStatus().code();
				this.closeReason = corrupted.closeStatus().reasonText();
				this.outbound.closing();
				ctx.writeAndFlush(new CloseWebSocketFrame(corrupted.closeStatus()))
					.addListener(ChannelFutureListener.CLOSE);
			}
			else {
				ctx.close();
			}
			Throwable reported = cause;
			this.events.execute(() -> this.listener.onError(reported));
			return;
		}
		if (!(cause instanceof IOException)) {
			logger.debug("Closing WebSocket connection " + ctx.channel() + " after an error", cause);
			this.events.execute(() -> this.listener.onError(error));
		}
		ctx.close();
	}

	private static DecompressionException inflationFailure(Throwable cause) {
		for (Throwable each = cause; each != null; each = each.getCause()) {
			if (each instanceof DecompressionException inflation) {
				return inflation;
			}
		}
		return null;
	}

	// ---- inbound, on the loop

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		this.lastActivityNanos = System.nanoTime();
		try {
			if (msg instanceof WebSocketFrame frame) {
				onFrame(frame);
			}
		}
		finally {
			ReferenceCountUtil.release(msg);
		}
	}

	private void onFrame(WebSocketFrame frame) {
		if (this.closeReceived) {
			return;
		}
		if (frame.rsv() != 0) {
			// A reserved bit no negotiated extension took (RFC 6455, 5.2): with deflate the codec lets them through.
			exceptionCaught(this.ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
					"Reserved bits set without an extension that defines them"));
			return;
		}
		if (frame instanceof CloseWebSocketFrame close) {
			onCloseFrame(close);
			return;
		}
		if (frame instanceof PingWebSocketFrame) {
			if (!this.closeSent) {
				this.ctx.write(new PongWebSocketFrame(frame.content().retainedDuplicate()));
			}
			return;
		}
		if (this.closeSent) {
			// Data after our close is read only to find the client's close.
			return;
		}
		if (frame instanceof PongWebSocketFrame) {
			byte[] payload = ByteBufUtil.getBytes(frame.content());
			deliver(payload.length, () -> this.listener.onPong(payload));
			return;
		}
		int type;
		if (frame instanceof TextWebSocketFrame) {
			type = 1;
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			type = 2;
		}
		else if (frame instanceof ContinuationWebSocketFrame) {
			type = this.fragmentType;
		}
		else {
			return;
		}
		boolean last = frame.isFinalFragment();
		this.fragmentType = last ? 0 : type;
		long size = frame.content().readableBytes()
				+ ((frame instanceof ContinuationWebSocketFrame) ? this.messageBytes : 0);
		this.messageBytes = last ? 0 : size;
		long limit = messageLimit(type);
		if (size > limit) {
			// Inflated past the limit (or a limit set after the headers were checked): not delivered, not kept.
			messageTooBig(limit);
			return;
		}
		byte[] payload = ByteBufUtil.getBytes(frame.content());
		this.stats.received(payload.length, last);
		if (type == 1) {
			deliver(payload.length, () -> this.listener.onText(payload, last));
		}
		else {
			deliver(payload.length, () -> this.listener.onBinary(payload, last));
		}
	}

	private void onCloseFrame(CloseWebSocketFrame close) {
		int code = close.statusCode();
		if (code >= 5000) {
			// Netty's codec lets codes past the private range through; RFC 6455, 7.4.2 defines none there.
			exceptionCaught(this.ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR,
					"Invalid close status code " + code));
			return;
		}
		this.closeReceived = true;
		if (!this.closeSent) {
			// The client started the close: echo its code (RFC 6455, 5.5.1) and end the TCP connection.
			this.closeSent = true;
			this.outputClosed = true;
			this.closeCode = (code < 0) ? NO_STATUS : code;
			this.closeReason = (code < 0) ? "" : close.reasonText();
			CloseWebSocketFrame echo = (code < 0) ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
					: new CloseWebSocketFrame(code, "");
			this.outbound.closing();
			this.ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
		}
		else {
			// The answer to our close: the handshake is complete.
			this.ctx.close();
		}
	}

	/**
	 * Sets the largest whole text and binary messages the application takes (all fragments, inflated), from any
	 * thread; {@link Long#MAX_VALUE} for no bound (a listener that takes messages frame by frame). A message past its
	 * limit is refused with 1009 as soon as a frame shows it, and nothing of it after that frame is delivered.
	 */
	public void limitMessages(long text, long binary) {
		this.textLimit = text;
		this.binaryLimit = binary;
	}

	/** The limit of messages of {@code type} (1 text, 2 binary; none for another, which the codec refuses). */
	long messageLimit(int type) {
		return switch (type) {
			case 1 -> this.textLimit;
			case 2 -> this.binaryLimit;
			default -> Long.MAX_VALUE;
		};
	}

	/** On the loop: a message is larger than {@code limit}; fails the connection with 1009 (RFC 6455, 7.4.1). */
	void messageTooBig(long limit) {
		exceptionCaught(this.ctx, new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG,
				"Message larger than " + limit + " bytes"));
	}

	/** Hands an event to the workers, counting its bytes against the read buffer until it has been handled. */
	private void deliver(int bytes, Runnable event) {
		this.undelivered.addAndGet(bytes);
		this.events.execute(() -> {
			try {
				event.run();
			}
			finally {
				long left = this.undelivered.addAndGet(-bytes);
				if (left < this.settings.readBuffer() && left + bytes >= this.settings.readBuffer()) {
					// This event freed the room reading waits for.
					ChannelHandlerContext context = this.ctx;
					context.executor().execute(this::maybeRead);
				}
			}
		});
	}

	/**
	 * Loop, once the listener's onOpen has returned: the 101 goes out now (the HTTP/1.1 connection wrote it without a
	 * flush), so that a client sees its session open only once the application has it. A chat that adds a session
	 * to its room in onOpen then never misses a message sent to the room after the client's handshake completed; with
	 * the 101 flushed first, a second client could speak in the gap between the two, which a loaded machine widens.
	 */
	private void announceOpen() {
		this.ctx.flush();
		if (this.open) {
			// Frames that came behind the handshake were held (MessageSizeScanner): they are read now, under the
			// limits onOpen set.
			this.ctx.pipeline().fireUserEventTriggered(MessageSizeScanner.OPENED);
		}
		maybeRead();
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.listenerOpened) {
			// Before onOpen has returned nothing may flush: the 101 waits for it (announceOpen).
			ctx.flush();
		}
		maybeRead();
	}

	private void maybeRead() {
		if (this.open && this.listenerOpened && !this.closeReceived && !this.readingPaused
				&& this.undelivered.get() < this.settings.readBuffer()) {
			this.ctx.read();
		}
	}

	/**
	 * Stops reading from the socket until {@link #resumeReading()}, for a listener that hands frames on only as its
	 * consumer asks (a Reactive Streams subscriber without demand). The frames of bytes already read still arrive, so
	 * what a paused listener holds is bounded by one read and the read buffer. Safe from any thread.
	 */
	public void pauseReading() {
		this.readingPaused = true;
	}

	/** Reads again after {@link #pauseReading()}, as far as the read buffer allows. Safe from any thread. */
	public void resumeReading() {
		if (this.readingPaused) {
			this.readingPaused = false;
			ChannelHandlerContext context = this.ctx;
			if (context != null) {
				context.executor().execute(this::maybeRead);
			}
		}
	}

	/**
	 * Hands {@code task} to the threads the listener runs on (the server's workers, or the loop itself when the
	 * listener runs there), outside the order of its events: for the continuations of asynchronous sends, which must
	 * not wait behind a listener event that may itself wait for them. Called on the connection's loop, as a completed
	 * write is, the hand-off waits for the end of the loop's pass as the events' hand-offs do, so that the completions
	 * of one pass wake workers once. Safe from any thread once the listener's {@code onOpen} has been called.
	 */
	public void dispatch(Runnable task) {
		this.workers.submit(task, this.ctx.executor());
	}

	/**
	 * Whether a frame of {@code size} payload bytes can be sent now without failing on a full send buffer: nothing is
	 * waiting for the socket, or it fits beside what is.
	 */
	public boolean hasSendRoom(int size) {
		return this.outbound.hasRoom(size);
	}

	// ---- outbound, from any thread

	/** Whether the connection is open and no close frame has been sent. */
	public boolean isOpen() {
		return this.open && !this.outputClosed;
	}

	/**
	 * Sends a frame and returns at once; the future completes when the frame is written to the socket, or fails when
	 * the send buffer is full, the connection is closing, or the send timeout passes first.
	 */
	public CompletableFuture<Void> sendAsync(OutboundFrame frame) {
		return sendAsync(frame, this.settings.sendTimeout().toMillis());
	}

	/**
	 * As {@link #sendAsync(OutboundFrame)}, with the session's own send timeout (zero or less: the server's).
	 */
	public CompletableFuture<Void> sendAsync(OutboundFrame frame, long timeoutMillis) {
		CompletableFuture<Void> result = new CompletableFuture<>();
		int size = frame.payload().length;
		if (!isOpen()) {
			result.completeExceptionally(new ClosedChannelException());
			return result;
		}
		if (!this.outbound.hasRoom(size)) {
			result.completeExceptionally(new IOException("The WebSocket send buffer of " + this.settings.sendBuffer()
					+ " bytes is full: the client is not reading fast enough"));
			return result;
		}
		write(frame, result, timeoutMillis);
		return result;
	}

	/**
	 * Sends a frame, waiting first while the send buffer has no room for it, and returns once it is queued for the
	 * socket within that bound, as a blocking socket write returns once the kernel's buffer took the bytes: the
	 * caller does not wait for the event loop to write it. Fails after the send timeout without room (the connection
	 * then closes), and a frame that the socket does not take within the send timeout closes the connection. Never
	 * on an event loop.
	 */
	public void send(OutboundFrame frame) throws IOException {
		int size = frame.payload().length;
		long deadline = System.nanoTime() + this.settings.sendTimeout().toNanos();
		awaitRoom(size, deadline);
		write(frame, null, this.settings.sendTimeout().toMillis());
	}

	private void awaitRoom(int size, long deadline) throws IOException {
		while (!this.outbound.hasRoom(size)) {
			if (!isOpen()) {
				throw new ClosedChannelException();
			}
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				sendTimedOut();
				throw new SocketTimeoutException("The client took no WebSocket bytes for "
						+ this.settings.sendTimeout().toMillis() + " ms");
			}
			this.outbound.awaitRoom(size, remaining);
		}
		if (!isOpen()) {
			throw new ClosedChannelException();
		}
	}

	/** Queues a frame for the loop; {@code result}, if any, completes when the socket has taken it. */
	private void write(OutboundFrame frame, CompletableFuture<Void> result, long timeoutMillis) {
		if (frame.kind() != OutboundFrame.Kind.PING && frame.kind() != OutboundFrame.Kind.PONG) {
			this.stats.sent(frame.payload().length, frame.last());
		}
		long timeoutNanos = (timeoutMillis > 0) ? TimeUnit.MILLISECONDS.toNanos(timeoutMillis)
				: this.settings.sendTimeout().toNanos();
		this.lastActivityNanos = System.nanoTime();
		this.outbound.enqueue(frame, result, timeoutNanos);
		if (!this.open) {
			// Ended while the frame was queued: nothing will write it.
			this.outbound.dropQueued(new ClosedChannelException());
		}
	}

	/** A client that takes nothing for the whole send timeout is gone for our purposes: the connection closes. */
	private void sendTimedOut() {
		// Sends fail from now on, also those that the close's failed writes wake before the channel is inactive.
		this.outputClosed = true;
		this.ctx.channel().close();
	}

	/** Sends a ping (at most 125 bytes of payload, RFC 6455 5.5). */
	public CompletableFuture<Void> ping(byte[] payload) {
		return sendAsync(new OutboundFrame(OutboundFrame.Kind.PING, payload, true));
	}

	/** Sends an unsolicited pong (a heartbeat, RFC 6455 5.5.3). */
	public CompletableFuture<Void> pong(byte[] payload) {
		return sendAsync(new OutboundFrame(OutboundFrame.Kind.PONG, payload, true));
	}

	/**
	 * Starts the close handshake with {@code code} and {@code reason} (at most 123 bytes of UTF-8), from any thread:
	 * the client's close frame is awaited for the close timeout. Does nothing if a close was already sent.
	 */
	public void close(int code, String reason) {
		this.outputClosed = true;
		ChannelHandlerContext context = this.ctx;
		try {
			context.executor().execute(() -> closeOnLoop(code, reason));
		}
		catch (RejectedExecutionException ex) {
			// The server's loops have stopped: the connection is closed already.
			logger.debug("WebSocket close not sent: the event loop has stopped", ex);
		}
	}

	private void closeOnLoop(int code, String reason) {
		if (this.closeSent || !this.open) {
			return;
		}
		this.closeSent = true;
		this.outputClosed = true;
		this.closeCode = code;
		this.closeReason = (reason != null) ? reason : "";
		CloseWebSocketFrame frame = (code == NO_STATUS) ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
				: new CloseWebSocketFrame(code, this.closeReason);
		// What the application sent before it closed goes out before the close frame.
		this.outbound.closing();
		ChannelFuture written = this.ctx.writeAndFlush(frame);
		if (this.closeReceived) {
			written.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		this.closeTimer = this.ctx.executor().schedule(() -> {
			this.ctx.close();
		}, this.settings.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
		// The client's close may wait behind data the application has not taken: read on regardless of the buffer.
		this.ctx.read();
	}

	/** Closes with 1001 (going away), as a stopping server does. Safe from any thread. */
	public void goAway() {
		close(GOING_AWAY, "The server is shutting down");
	}

	/** The server shuts down gracefully: 1001, then the client's close or the close timeout ends the connection. */
	@Override
	public void closeGracefully() {
		closeOnLoop(GOING_AWAY, "The server is shutting down");
	}

	/**
	 * The server stops without waiting: 1001 (going away) is written and flushed now, as Tomcat does, unless a close
	 * was sent already; the channel is closed next by the server, and the client's answer is not awaited.
	 */
	@Override
	public void closeNow() {
		if (this.closeSent || !this.open) {
			return;
		}
		this.closeSent = true;
		this.outputClosed = true;
		this.closeCode = GOING_AWAY;
		this.closeReason = "The server is shutting down";
		this.outbound.closing();
		this.ctx.writeAndFlush(new CloseWebSocketFrame(GOING_AWAY, this.closeReason))
			.addListener(ChannelFutureListener.CLOSE);
	}

	// ---- idle timeout

	/** Sets the idle timeout: no frame either way for this long closes the session with 1001. Zero or less: none. */
	public void setIdleTimeout(long millis) {
		this.idleTimeoutNanos = Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis));
		ChannelHandlerContext context = this.ctx;
		if (context != null) {
			context.executor().execute(this::armIdleTimer);
		}
	}

	private void armIdleTimer() {
		cancel(this.idleTimer);
		this.idleTimer = null;
		long timeout = this.idleTimeoutNanos;
		if (timeout <= 0 || !this.open) {
			return;
		}
		long idle = System.nanoTime() - this.lastActivityNanos;
		if (idle >= timeout) {
			closeOnLoop(GOING_AWAY, "Session idle timeout");
			return;
		}
		this.idleTimer = this.ctx.executor().schedule(this::armIdleTimer, timeout - idle, TimeUnit.NANOSECONDS);
	}

	private static void cancel(ScheduledFuture<?> timer) {
		if (timer != null) {
			timer.cancel(false);
		}
	}

	// ---- what the session shows

	/**
	 * The client's address as the HTTP/1.1 request of the handshake saw it: the PROXY protocol header's source when the
	 * listener reads one, else the socket's peer (see {@link ConnectionAddresses}).
	 */
	public InetSocketAddress remoteAddress() {
		return ConnectionAddresses.remote(channel());
	}

	/** The address the client connected to: the PROXY header's destination when there was one, else the socket's. */
	public InetSocketAddress localAddress() {
		return ConnectionAddresses.local(channel());
	}

	/** Whether the connection is encrypted (wss). */
	public boolean isSecure() {
		return channel().pipeline().get(SslHandler.class) != null;
	}

	/** The connection's limits. */
	public WebSocketSettings settings() {
		return this.settings;
	}

	private Channel channel() {
		return this.ctx.channel();
	}

}
