package io.hybridserver.http.h2;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * On a clear-text port: holds the first bytes of a connection while they could still be the HTTP/2 connection preface
 * ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}), then either switches the connection to HTTP/2 or steps aside for
 * HTTP/1.1. No HTTP/1.1 request starts with {@code PRI *} followed by {@code HTTP/2.0}, so the first differing byte
 * decides, and an HTTP/1.1 client waits for at most the bytes it already sent.
 */
final class PrefaceDetector extends ChannelInboundHandlerAdapter {

	private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private final Http2Negotiation negotiation;

	/** Bytes received so far, all a prefix of the preface; {@code null} before the first. */
	private CompositeByteBuf held;

	PrefaceDetector(Http2Negotiation negotiation) {
		this.negotiation = negotiation;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf bytes)) {
			ctx.fireChannelRead(msg);
			return;
		}
		ByteBuf all = bytes;
		if (this.held != null) {
			this.held.addComponent(true, bytes);
			all = this.held;
			this.held = null;
		}
		int compared = Math.min(all.readableBytes(), PREFACE.length);
		for (int i = 0; i < compared; i++) {
			if (all.getByte(all.readerIndex() + i) != PREFACE[i]) {
				// HTTP/1.1: this handler leaves, and the HTTP/1.1 handlers get every byte from the first.
				ctx.pipeline().remove(this);
				ctx.fireChannelRead(all);
				return;
			}
		}
		if (compared == PREFACE.length) {
			this.negotiation.switchToHttp2(ctx, false);
			ctx.fireChannelRead(all);
			return;
		}
		CompositeByteBuf composite = ctx.alloc().compositeBuffer();
		composite.addComponent(true, all);
		this.held = composite;
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.held != null) {
			// Undecided: the HTTP/1.1 handlers behind saw nothing and would not ask for more.
			ctx.read();
		}
		ctx.fireChannelReadComplete();
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		release();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		release();
		ctx.fireChannelInactive();
	}

	private void release() {
		if (this.held != null) {
			this.held.release();
			this.held = null;
		}
	}

}
