package io.hybridserver.http.h1;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Closes a connection whose client may still be sending (a request body the application did not read, a body after a
 * request the server refused) without destroying the answer it was just sent (RFC 9112, 9.6).
 *
 * <p>Closing a socket that still holds unread bytes makes the kernel send a reset at once: it drops whatever of the
 * answer the client has not yet acknowledged, and the client's next read fails instead of returning the answer. So,
 * once the answer is written, the server closes only its sending side (after a TLS close_notify), then reads and throws
 * away whatever still arrives, at the front of the pipeline so none of it is decrypted or decoded, until the client
 * closes, {@value #LINGER_MILLIS} ms pass or {@value #MAX_DISCARDED_BYTES} bytes were thrown away. Then it closes.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {

	static final long LINGER_MILLIS = 2_000;

	static final long MAX_DISCARDED_BYTES = 16L * 1024 * 1024;

	private long discarded;

	private ScheduledFuture<?> deadline;

	private LingeringClose() {
	}

	/** Closes the channel once {@code lastWrite} is done, lingering as described above where the client may send on. */
	static void closeAfter(ChannelFuture lastWrite) {
		lastWrite.addListener((ChannelFutureListener) LingeringClose::start);
	}

	private static void start(ChannelFuture written) {
		Channel channel = written.channel();
		if (!written.isSuccess() || !channel.isActive() || !(channel instanceof DuplexChannel duplex)
				|| duplex.isInputShutdown()) {
			channel.close();
			return;
		}
		channel.pipeline().addFirst("lingering-close", new LingeringClose());
		// Reading is demand-driven while requests are served; from here on everything is read and dropped.
		channel.config().setAutoRead(true);
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

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		Runnable close = ctx::close;
		this.deadline = ctx.executor().schedule(close, LINGER_MILLIS, TimeUnit.MILLISECONDS);
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
			// The client has closed its side too: nothing is left in flight either way.
			ctx.close();
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
