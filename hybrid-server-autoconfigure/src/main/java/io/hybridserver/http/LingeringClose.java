package io.hybridserver.http;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a connection whose client may still be sending without destroying the last thing it was sent: an HTTP/1.1
 * answer (a request body the application did not read, a body after a request the server refused; RFC 9112, 9.6), or
 * the GOAWAY that ends an HTTP/2 connection after a protocol error or a flood (RFC 9113, 5.4.1).
 *
 * <p>Closing a socket that still holds unread bytes makes the kernel send a reset at once: it drops whatever of the
 * answer the client has not yet acknowledged, and the client's next read fails instead of returning the answer. So,
 * once the answer is written, the server closes only its sending side (after a TLS close_notify), then reads and throws
 * away whatever still arrives, at the front of the pipeline so none of it is decrypted or decoded, until the client
 * closes, {@value #LINGER_MILLIS} ms pass or {@value #MAX_DISCARDED_BYTES} bytes were thrown away. Then it closes.
 *
 * <p>Two ways in. {@link #closeAfter} is for a protocol handler that knows its last write (HTTP/1.1).
 * {@link #lingerOnClose} is for a codec that closes by itself after its last frame (Netty's HTTP/2 codec after a GOAWAY
 * with an error): from that call on, input is thrown away, and the close the codec then asks for (through the TLS
 * handler, which sends close_notify first) becomes the half-close, once everything written before it has left, and the
 * lingering; the time bound counts from that call, so a client that does not read the GOAWAY cannot hold the
 * connection either.
 */
public final class LingeringClose extends ChannelDuplexHandler {

	static final long LINGER_MILLIS = 2_000;

	static final long MAX_DISCARDED_BYTES = 16L * 1024 * 1024;

	/** Whether a close asked for behind this handler starts the lingering ({@link #lingerOnClose}). */
	private final boolean closeStartsLingering;

	private ChannelHandlerContext ctx;

	private long discarded;

	private ScheduledFuture<?> deadline;

	/** Whether the codec has asked for its close ({@link #lingerOnClose} only). */
	private boolean closeAsked;

	/** Whether the sending side is closed, or being closed: from then on the connection lingers. */
	private boolean halfClosed;

	/** Whether the client has closed its side. */
	private boolean inputShutdown;

	private LingeringClose(boolean closeStartsLingering) {
		this.closeStartsLingering = closeStartsLingering;
	}

	/** Closes the channel once {@code lastWrite} is done, lingering as described above where the client may send on. */
	public static void closeAfter(ChannelFuture lastWrite) {
		lastWrite.addListener((ChannelFutureListener) LingeringClose::start);
	}

	/**
	 * From now on throws away everything the client sends, and makes the next close asked for behind this handler a
	 * lingering close (see above). Runs on the channel's loop.
	 * @param channel the connection, whose codec is about to close it
	 * @return the handler, to end the lingering at once with {@link #closeNow}, or {@code null} when there is nothing
	 * to linger for (the channel cannot half-close, is closed, or the client has closed its side): then the codec's
	 * close closes at once
	 */
	public static LingeringClose lingerOnClose(Channel channel) {
		if (!canLinger(channel) || channel.pipeline().get(LingeringClose.class) != null) {
			return null;
		}
		LingeringClose handler = new LingeringClose(true);
		channel.pipeline().addFirst("lingering-close", handler);
		channel.config().setAutoRead(true);
		return handler;
	}

	private static boolean canLinger(Channel channel) {
		return channel.isActive() && channel instanceof DuplexChannel duplex && !duplex.isInputShutdown();
	}

	private static void start(ChannelFuture written) {
		Channel channel = written.channel();
		if (channel.pipeline().get(LingeringClose.class) != null) {
			// Already lingering: it closes the channel when it ends.
			return;
		}
		if (!written.isSuccess() || !canLinger(channel)) {
			channel.close();
			return;
		}
		LingeringClose handler = new LingeringClose(false);
		channel.pipeline().addFirst("lingering-close", handler);
		handler.halfClosed = true;
		// Reading is demand-driven while requests are served; from here on everything is read and dropped.
		channel.config().setAutoRead(true);
		DuplexChannel duplex = (DuplexChannel) channel;
		SslHandler tls = channel.pipeline().get(SslHandler.class);
		if (tls != null) {
			tls.closeOutbound().addListener((ignored) -> shutdownOutput(duplex));
		}
		else {
			shutdownOutput(duplex);
		}
	}

	private static void shutdownOutput(DuplexChannel channel) {
		channel.shutdownOutput().addListener((ChannelFutureListener) (done) -> {
			if (!done.isSuccess()) {
				channel.close();
			}
		});
	}

	/** Closes the channel now, without lingering: for a close that should not wait, such as the server stopping. */
	public void closeNow(ChannelPromise promise) {
		this.ctx.close(promise);
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
		Runnable close = ctx::close;
		this.deadline = ctx.executor().schedule(close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
	}

	/**
	 * With {@link #lingerOnClose}: the codec's close, after its last frame went out (and after the TLS handler's
	 * close_notify) closes the sending side only; the channel closes when the lingering ends, and so does every close
	 * asked for meanwhile. Otherwise a close passes.
	 */
	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		if (!this.closeStartsLingering || !ctx.channel().isActive()) {
			ctx.close(promise);
			return;
		}
		if (!this.closeAsked) {
			this.closeAsked = true;
			// The codec may ask before its last frame is out (Netty's reset limit closes right after its GOAWAY is
			// written, not sent): the sending side closes once everything written before this close has left.
			DuplexChannel channel = (DuplexChannel) ctx.channel();
			ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) (sent) -> {
				if (!sent.isSuccess() || this.inputShutdown) {
					// Nothing to linger for: the client sends no more, or the connection is broken.
					ctx.close();
					return;
				}
				this.halfClosed = true;
				shutdownOutput(channel);
			});
		}
		if (!promise.isVoid()) {
			ctx.channel().closeFuture().addListener((closed) -> promise.trySuccess());
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf bytes) {
			this.discarded += bytes.readableBytes();
		}
		ReferenceCountUtil.release(msg);
		if (this.discarded > MAX_DISCARDED_BYTES) {
			ctx.close();
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		// Nothing was passed on, so there is nothing for the handlers behind to complete.
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
		if (evt instanceof ChannelInputShutdownEvent) {
			this.inputShutdown = true;
			if (this.halfClosed) {
				// The client has closed its side too: nothing is left in flight either way.
				ctx.close();
			}
			// Otherwise the codec's last frame is still on its way: the close after it closes at once.
			return;
		}
		ctx.fireUserEventTriggered(evt);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		this.deadline.cancel(false);
		super.channelInactive(ctx);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

}
