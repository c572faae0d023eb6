package io.hybridserver.bench.loadgen;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

/**
 * Opens many keep-alive connections, makes one request on each, and holds them idle: what a server pays per connection
 * that does nothing (sockets, TLS state, buffers, timers). Connects at most {@value #IN_FLIGHT} at a time so that the
 * accept backlog never overflows.
 *
 * <p>In steps (scenario 15, {@code idle-steps}) it opens connections up to each step's total, writes
 * {@code READY_PREFIX.<total>} and waits for the harness to write {@code READY_PREFIX.<total>.measured} before the
 * next step, so that one server is measured at 1,000, 10,000, ... 50,000 idle connections. One source address has
 * about 28,000 ephemeral ports towards one server port (Linux's default range, 32768-60999), so past
 * {@value #PER_SOURCE_ADDRESS} connections they are spread over the source addresses 127.0.0.1, 127.0.0.2, ...: every
 * 127.0.0.0/8 address is the loopback interface's without any setup.
 */
final class IdleConnections {

	private static final int IN_FLIGHT = 200;

	/** Connections per loopback source address, well inside one address's ephemeral port range. */
	private static final int PER_SOURCE_ADDRESS = 20_000;

	/** How long the harness may take to measure a step before the client gives up on it. */
	private static final long MEASURE_WAIT_SECONDS = 600;

	private static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("answered");

	private final Target target;

	private final Semaphore permits = new Semaphore(IN_FLIGHT);

	private final AtomicInteger answered = new AtomicInteger();

	private final AtomicInteger failed = new AtomicInteger();

	private final AtomicInteger closedEarly = new AtomicInteger();

	private final List<Channel> open = new CopyOnWriteArrayList<>();

	private final Bootstrap bootstrap;

	/** How many loopback source addresses to spread the connections over (1: let the kernel choose, as before). */
	private final int sourceAddresses;

	private int started;

	private IdleConnections(Target target, MultiThreadIoEventLoopGroup group, int total) {
		this.target = target;
		this.bootstrap = target.bootstrap(group, new FirstResponseHandler(this.permits, this.answered, this.failed,
				this.closedEarly));
		this.sourceAddresses = (target.unixSocket != null) ? 1 : (total + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS;
	}

	static void run(Target target, int connections, int holdSeconds, String readyFile) throws Exception {
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		IdleConnections idle = new IdleConnections(target, group, connections);
		long began = System.nanoTime();
		try {
			idle.openUpTo(connections);
			long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
			String opened = "open=" + idle.answered.get() + " failed=" + idle.failed.get() + " open_millis="
					+ openMillis;
			System.out.println("idle connections ready: " + opened);
			Files.writeString(Path.of(readyFile), opened + "\n");
			Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
			System.out.println("RESULT mode=idle requested=" + connections + " " + opened + " still_open="
					+ idle.stillOpen() + " closed_by_server=" + idle.closedEarly.get());
		}
		finally {
			idle.close(group);
		}
	}

	/**
	 * Scenario 15: opens connections up to each of {@code steps} (ascending totals) in turn, holds them for
	 * {@code holdSeconds}, reports, and waits for the harness to have measured the server before the next step.
	 */
	static void steps(Target target, int[] steps, int holdSeconds, String readyPrefix) throws Exception {
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		IdleConnections idle = new IdleConnections(target, group, steps[steps.length - 1]);
		System.out.println("idle steps over " + idle.sourceAddresses + " source address(es)");
		try {
			for (int step : steps) {
				long began = System.nanoTime();
				boolean complete = idle.openUpTo(step);
				long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
				Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
				String line = "step=" + step + " open=" + idle.answered.get() + " failed=" + idle.failed.get()
						+ " open_millis=" + openMillis + " still_open=" + idle.stillOpen() + " closed_by_server="
						+ idle.closedEarly.get();
				System.out.println("RESULT mode=idle-steps " + line);
				Files.writeString(Path.of(readyPrefix + "." + step), line + "\n");
				if (!complete) {
					System.err.println("step " + step + ": some connections neither answered nor failed within 120 s;"
							+ " no further steps");
					return;
				}
				Path measured = Path.of(readyPrefix + "." + step + ".measured");
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MEASURE_WAIT_SECONDS);
				while (!Files.exists(measured)) {
					if (System.nanoTime() > deadline) {
						System.err.println("step " + step + ": the harness did not measure within "
								+ MEASURE_WAIT_SECONDS + " s; stopping");
						return;
					}
					Thread.sleep(100);
				}
			}
		}
		finally {
			idle.close(group);
		}
	}

	/**
	 * Opens connections until {@code total} have been started, and waits for every one to answer or fail.
	 * @return false when some neither answered nor failed within 120 s
	 */
	private boolean openUpTo(int total) throws Exception {
		for (; this.started < total; this.started++) {
			this.permits.acquire();
			ChannelFuture connect = (this.sourceAddresses > 1)
					? this.bootstrap.connect(this.target.address(), sourceAddress(this.started))
					: this.bootstrap.connect(this.target.address());
			connect.addListener((ChannelFuture future) -> {
				if (!future.isSuccess()) {
					this.failed.incrementAndGet();
					this.permits.release();
					return;
				}
				Channel channel = future.channel();
				this.open.add(channel);
				if (this.target.tls()) {
					channel.pipeline().get(SslHandler.class).handshakeFuture().addListener((handshake) -> {
						if (handshake.isSuccess()) {
							channel.writeAndFlush(this.target.request(true));
						}
					});
				}
				else {
					channel.writeAndFlush(this.target.request(true));
				}
			});
		}
		if (!this.permits.tryAcquire(IN_FLIGHT, 120, TimeUnit.SECONDS)) {
			System.err.println("some connections neither answered nor failed within 120 s");
			return false;
		}
		this.permits.release(IN_FLIGHT);
		return true;
	}

	/** 127.0.0.1, 127.0.0.2, ... in turn, any port. */
	private InetSocketAddress sourceAddress(int index) {
		return new InetSocketAddress("127.0.0." + (1 + index % this.sourceAddresses), 0);
	}

	private long stillOpen() {
		return this.open.stream().filter(Channel::isActive).count();
	}

	private void close(MultiThreadIoEventLoopGroup group) throws InterruptedException {
		for (Channel channel : this.open) {
			channel.close();
		}
		group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
	}

	@Sharable
	private static final class FirstResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

		private final Semaphore permits;

		private final AtomicInteger answered;

		private final AtomicInteger failed;

		private final AtomicInteger closedEarly;

		FirstResponseHandler(Semaphore permits, AtomicInteger answered, AtomicInteger failed,
				AtomicInteger closedEarly) {
			this.permits = permits;
			this.answered = answered;
			this.failed = failed;
			this.closedEarly = closedEarly;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
			ctx.channel().attr(ANSWERED).set(Boolean.TRUE);
			if (response.status().code() == 200) {
				this.answered.incrementAndGet();
			}
			else {
				this.failed.incrementAndGet();
			}
			this.permits.release();
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (ctx.channel().attr(ANSWERED).get() != null) {
				this.closedEarly.incrementAndGet();
			}
			else {
				this.failed.incrementAndGet();
				this.permits.release();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

}
