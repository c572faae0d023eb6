package io.hybridserver.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.AttributeKey;
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
 * client shares one address. On a listener that reads a PROXY protocol header the bound applies to the header's client
 * address instead, once the header has arrived ({@link #admitAddress(Channel, InetAddress)}). Peers of a Unix domain
 * socket have no address and are not bounded one by one (only by the overall bound): all of them would otherwise
 * share one slot count and starve each other.
 *
 * <p>One limiter serves every listener of a server: the overall bound counts the connections of all of them, and at
 * the bound all of them stop accepting.
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

	/** The listening channels this limiter sits on; all pause at the bound. */
	private final CopyOnWriteArrayList<Channel> listeners = new CopyOnWriteArrayList<>();

	/** Marks a listening channel whose connections are bounded by address only once their PROXY header has come. */
	private static final AttributeKey<Boolean> ADDRESS_FROM_HEADER = AttributeKey.valueOf(ConnectionLimiter.class,
			"addressFromHeader");

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
		this.listeners.addIfAbsent(ctx.channel());
		ctx.channel().closeFuture().addListener((future) -> this.listeners.remove(ctx.channel()));
		super.channelActive(ctx);
	}

	/**
	 * Says that the connections of this listening channel get their client address from a PROXY header, so the
	 * per-address bound waits for {@link #admitAddress(Channel, InetAddress)} instead of judging the proxy's address.
	 */
	public static void boundAddressesAfterProxyHeader(Channel listener) {
		listener.attr(ADDRESS_FROM_HEADER).set(Boolean.TRUE);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		Channel child = (Channel) msg;
		if (this.maxPerAddress > 0 && !Boolean.TRUE.equals(ctx.channel().attr(ADDRESS_FROM_HEADER).get())
				&& !admitAddress(child)) {
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
			for (Channel listener : this.listeners) {
				listener.config().setAutoRead(false);
			}
			// A connection that closed on another loop between the count and the line above saw accepting still on and
			// left it alone; without this second look the listeners would stay off until some later close.
			if (this.active.get() < this.maxConnections) {
				resumeAccepting();
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
		return admit(child, remote.getAddress());
	}

	/**
	 * Counts a connection against the bound of the client address its PROXY header gave, and uncounts it when it
	 * closes. A connection over the bound is counted as refused; the caller closes it.
	 * @return false if the address already has as many connections as allowed
	 */
	public boolean admitAddress(Channel child, InetAddress address) {
		if (this.maxPerAddress <= 0 || address == null) {
			return true;
		}
		if (!admit(child, address)) {
			this.refused.increment();
			return false;
		}
		return true;
	}

	private boolean admit(Channel child, InetAddress address) {
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
		if (now < this.maxConnections) {
			resumeAccepting();
		}
	}

	private void resumeAccepting() {
		for (Channel channel : this.listeners) {
			if (channel.isOpen() && !channel.config().isAutoRead()) {
				// setAutoRead is thread-safe: it schedules the read on the listener's loop.
				channel.config().setAutoRead(true);
			}
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
