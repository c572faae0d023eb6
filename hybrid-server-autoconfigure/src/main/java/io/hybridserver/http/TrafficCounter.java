package io.hybridserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes that cross the socket, first in the pipeline so it sees the wire bytes (before decoding, after
 * encoding), whichever protocol the connection speaks. One instance serves every connection of a server.
 */
@Sharable
public final class TrafficCounter extends ChannelDuplexHandler {

	private final HttpServerStats stats;

	public TrafficCounter(HttpServerStats stats) {
		this.stats = stats;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof ByteBuf buf) {
			this.stats.received(buf.readableBytes());
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof ByteBuf buf) {
			this.stats.sent(buf.readableBytes());
		}
		else if (msg instanceof ByteBufHolder holder) {
			this.stats.sent(holder.content().readableBytes());
		}
		ctx.write(msg, promise);
	}

}
