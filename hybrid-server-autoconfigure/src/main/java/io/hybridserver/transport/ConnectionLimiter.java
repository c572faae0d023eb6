package io.hybridserver.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Optionally it also bounds the connections of one client address: one client holding many connections (slow
 * bodies or heads on each) must not take every connection slot. A connection over that bound is closed as soon as it
 * is accepted, before any byte is read, and counted as refused. Off by default: behind a reverse proxy or a NAT every
 * client shares one address.
 */
@Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

	private final int maxConnections;

	private final int maxPerAddress;

	private final AtomicInteger active = new AtomicInteger();

	/** Open connections by client address; only kept when there is a per-address bound. */
	private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

	private final LongAdder refused = new LongAdder();

	private final LongAdder accepted = new LongAdder();

	private final ChannelGroup connections = new DefaultChannelGroup("hybrid-connections", GlobalEventExecutor.INSTANCE);

	private volatile Channel listener;

	/**
	 * @param maxConnections the bound, or a value below 1 for none
	 */
	public ConnectionLimiter(int maxConnections) {
		this(maxConnections, 0);
	}

	/**
	 * @param maxConnections the bound, or a value below 1 for none
	 * @param maxPerAddress the bound for one client IP address, or a value below 1 for none
	 */
	public ConnectionLimiter(int maxConnections, int maxPerAddress) {
		this.maxConnections = (maxConnections > 0) ? maxConnections : Integer.MAX_VALUE;
		this.maxPerAddress = maxPerAddress;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		this.listener = ctx.channel();
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		Channel child = (Channel) msg;
		if (this.maxPerAddress > 0 && !admitAddress(child)) {
			this.refused.increment();
			// Not registered with a loop yet: closed at once, as Netty's acceptor closes a child it cannot register.
			child.unsafe().closeForcibly();
			return;
		}
		this.accepted.increment();
		int now = this.active.incrementAndGet();
		child.closeFuture().addListener((future) -> onClosed());
		this.connections.add(child);
		if (now >= this.maxConnections) {
			ctx.channel().config().setAutoRead(false);
			// A connection that closed on another loop between the count and the line above saw accepting still on and
			// left it alone; without this second look the listener would stay off until some later close.
			if (this.active.get() < this.maxConnections) {
				ctx.channel().config().setAutoRead(true);
			}
		}
		ctx.fireChannelRead(msg);
	}

	/** Counts the child against its address's bound, and uncounts it when it closes; false if over the bound. */
	private boolean admitAddress(Channel child) {
		if (!(child.remoteAddress() instanceof InetSocketAddress remote) || remote.getAddress() == null) {
			// A Unix domain socket has no client address to bound.
			return true;
		}
		InetAddress address = remote.getAddress();
		int now = this.perAddress.merge(address, 1, Integer::sum);
		if (now > this.maxPerAddress) {
			release(address);
			return false;
		}
		child.closeFuture().addListener((future) -> release(address));
		return true;
	}

	private void release(InetAddress address) {
		this.perAddress.computeIfPresent(address, (key, count) -> (count > 1) ? count - 1 : null);
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

	/** Connections closed at once because their client address had too many open. */
	public long refusedConnections() {
		return this.refused.sum();
	}

	/** The configured bound ({@link Integer#MAX_VALUE} for none). */
	public int maxConnections() {
		return this.maxConnections;
	}

}
