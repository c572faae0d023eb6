package io.hybridserver.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * Sits on the listening channel and keeps the number of open connections at or below a bound. At the bound it stops
 * accepting (the kernel's backlog holds new clients, as Tomcat's {@code maxConnections} does) and starts again when a
 * connection closes, so a flood of connections queues instead of exhausting memory or file descriptors. It also keeps
 * the set of open connections, which graceful shutdown walks.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

	private final int maxConnections;

	private final AtomicInteger active = new AtomicInteger();

	private final LongAdder accepted = new LongAdder();

	private final ChannelGroup connections = new DefaultChannelGroup("hybrid-connections", GlobalEventExecutor.INSTANCE);

	private volatile Channel listener;

	/**
	 * @param maxConnections the bound, or a value below 1 for none
	 */
	public ConnectionLimiter(int maxConnections) {
		this.maxConnections = (maxConnections > 0) ? maxConnections : Integer.MAX_VALUE;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.listener = ctx.channel();
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		Channel child = (Channel) msg;
		this.accepted.increment();
		int now = this.active.incrementAndGet();
		child.closeFuture().addListener((future) -> onClosed());
		this.connections.add(child);
		if (now >= this.maxConnections) {
			ctx.channel().config().setAutoRead(false);
		}
		ctx.fireChannelRead(msg);
	}

	private void onClosed() {
		int now = this.active.decrementAndGet();
		Channel channel = this.listener;
		if (now < this.maxConnections && channel != null && channel.isOpen() && !channel.config().isAutoRead()) {
			// setAutoRead is thread-safe: it schedules the read on the listener's loop.
			channel.config().setAutoRead(true);
		}
	}

	/** Connections open right now. */
	public int activeConnections() {
		return this.active.get();
	}

	/** The connections open now (a live view; closed ones leave it by themselves). */
	public ChannelGroup connections() {
		return this.connections;
	}

	/** Connections accepted since start. */
	public long acceptedConnections() {
		return this.accepted.sum();
	}

	/** The configured bound ({@link Integer#MAX_VALUE} for none). */
	public int maxConnections() {
		return this.maxConnections;
	}

}
