package io.hybridserver.transport;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Serves TLS and clear text on one port: looks at a new connection's first bytes and puts the protocol they start in
 * behind itself, then leaves. It sits after the PROXY protocol handler, so a proxy's header is read first and the
 * bytes that follow it are the ones looked at.
 * <ul>
 * <li>a TLS handshake record header (content type 22, version 3.x, a plausible length: five bytes) chooses TLS, where
 * ALPN may then choose HTTP/2;</li>
 * <li>a request method and its space (after empty lines, which RFC 9112 2.2 lets a client send first) chooses clear
 * text, where the HTTP/2 preface ({@code PRI * HTTP/2.0}) is served as h2c when HTTP/2 is on;</li>
 * <li>any other byte, or {@value #MAX_UNDECIDED} bytes of method name without a space, chooses clear text too, whose
 * HTTP/1.1 decoder answers {@code 400}: the client then gets a readable error rather than a closed socket.</li>
 * </ul>
 * Until the bytes tell, at most {@value #MAX_UNDECIDED} bytes plus one read are held, and a connection that has not
 * told within the timeout (it sent nothing, or one byte) is closed and counted, as is one that ends its side after
 * sending something undecidable. Everything runs on the connection's loop; nothing waits but a timer.
 *
 * <p>The chosen handlers join a connection that is already active, so this handler tells them so
 * ({@code channelActive}) before handing them the bytes: they start their timers and ask for reads as on a new
 * connection.
 */
public final class ProtocolDetector extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ProtocolDetector.class);

	/** More method name than any registered method (the longest, {@code UPDATEREDIRECTREF}, has 17 characters). */
	static final int MAX_UNDECIDED = 64;

	/** A TLS record's largest length: 2^14 bytes of plaintext plus 2048 of expansion (RFC 5246 6.2.3). */
	private static final int MAX_TLS_RECORD_LENGTH = 16384 + 2048;

	private static final int TLS_HANDSHAKE = 0x16;

	/** What the first bytes start. */
	enum Protocol {

		TLS, CLEAR

	}

	private final long timeoutNanos;

	private final ChannelHandler tls;

	private final ChannelHandler clear;

	private final Runnable failures;

	private CompositeByteBuf held;

	private ScheduledFuture<?> timer;

	private boolean decided;

	/**
	 * @param settings the listener's detection settings (enabled)
	 * @param tls a sharable handler (typically an initializer) that adds the TLS pipeline
	 * @param clear a sharable handler that adds the clear-text pipeline
	 * @param failures told of each connection closed because its first bytes did not tell in time
	 */
	public ProtocolDetector(ProtocolDetectionSettings settings, ChannelHandler tls, ChannelHandler clear,
			Runnable failures) {
		this.timeoutNanos = settings.timeout().toNanos();
		this.tls = tls;
		this.clear = clear;
		this.failures = failures;
	}

	/**
	 * What {@code bytes} (a connection's first, not consumed) start, or {@code null} while they could still be
	 * either.
	 */
	static Protocol classify(ByteBuf bytes) {
		int start = bytes.readerIndex();
		int length = bytes.readableBytes();
		if (length == 0) {
			return null;
		}
		if (bytes.getUnsignedByte(start) == TLS_HANDSHAKE) {
			// Not a method character: a TLS record, or nothing HTTP could parse either.
			if (length >= 2 && bytes.getUnsignedByte(start + 1) != 3) {
				return Protocol.CLEAR;
			}
			if (length < 5) {
				return null;
			}
			int recordLength = bytes.getUnsignedShort(start + 3);
			return (recordLength > 0 && recordLength <= MAX_TLS_RECORD_LENGTH) ? Protocol.TLS : Protocol.CLEAR;
		}
		int seen = Math.min(length, MAX_UNDECIDED);
		for (int i = 0; i < seen; i++) {
			byte b = bytes.getByte(start + i);
			if (b != '\r' && b != '\n' && !isTokenChar(b)) {
				// The space after a method, or a byte no request starts with: HTTP/1.1 serves or refuses it.
				return Protocol.CLEAR;
			}
		}
		return (length >= MAX_UNDECIDED) ? Protocol.CLEAR : null;
	}

	/** RFC 9110 5.6.2 {@code tchar}: what a method name is made of. */
	private static boolean isTokenChar(byte b) {
		if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')) {
			return true;
		}
		return switch (b) {
			case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~' -> true;
			default -> false;
		};
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		// Not passed on: the handlers that care join once the protocol is known, and are told then.
		this.timer = ctx.executor().schedule(() -> timedOut(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
		ctx.read();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.decided || !(msg instanceof ByteBuf bytes)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.held == null) {
			this.held = ctx.alloc().compositeBuffer();
		}
		this.held.addComponent(true, bytes);
		Protocol protocol = classify(this.held);
		if (protocol != null) {
			route(ctx, protocol);
		}
	}

	private void route(ChannelHandlerContext ctx, Protocol protocol) {
		this.decided = true;
		cancelTimer();
		ByteBuf first = this.held;
		this.held = null;
		// An initializer added to a registered channel initialises at once; its handlers go to the pipeline's end,
		// behind this one.
		ctx.pipeline().addAfter(ctx.name(), null, (protocol == Protocol.TLS) ? this.tls : this.clear);
		if (!ctx.channel().isActive()) {
			// The protocol refused the connection while setting up (a TLS port that is stopping).
			first.release();
			return;
		}
		ctx.fireChannelActive();
		ctx.fireChannelRead(first);
		ctx.pipeline().remove(this);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.decided) {
			ctx.fireChannelReadComplete();
		}
		else if (ctx.channel().isActive()) {
			// Nobody behind asks for more yet.
			ctx.read();
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		if (!this.decided && evt instanceof ChannelInputShutdownEvent) {
			// The client ended its side before saying what it speaks: a port probe when it sent nothing.
			fail(ctx, this.held != null);
			return;
		}
		ctx.fireUserEventTriggered(evt);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (this.decided) {
			ctx.fireExceptionCaught(cause);
			return;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Closing " + ctx.channel() + " before its protocol was known", cause);
		}
		this.decided = true;
		cancelTimer();
		release();
		ctx.close();
	}

	private void timedOut(ChannelHandlerContext ctx) {
		if (!this.decided) {
			fail(ctx, true);
		}
	}

	private void fail(ChannelHandlerContext ctx, boolean counted) {
		this.decided = true;
		cancelTimer();
		release();
		if (counted) {
			this.failures.run();
		}
		ctx.close();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		cancelTimer();
		release();
		ctx.fireChannelInactive();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelTimer();
		release();
	}

	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	private void release() {
		if (this.held != null) {
			ReferenceCountUtil.release(this.held);
			this.held = null;
		}
	}

}
