package io.hybridserver.bench.loadgen;

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
 */
final class IdleConnections {

	private static final int IN_FLIGHT = 200;

	private static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("answered");

	private IdleConnections() {
	}

	static void run(Target target, int connections, int holdSeconds, String readyFile) throws Exception {
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		Semaphore permits = new Semaphore(IN_FLIGHT);
		AtomicInteger answered = new AtomicInteger();
		AtomicInteger failed = new AtomicInteger();
		AtomicInteger closedEarly = new AtomicInteger();
		List<Channel> open = new CopyOnWriteArrayList<>();
		Bootstrap bootstrap = target.bootstrap(group, new FirstResponseHandler(permits, answered, failed, closedEarly));
		long began = System.nanoTime();
		try {
			for (int i = 0; i < connections; i++) {
				permits.acquire();
				ChannelFuture connect = bootstrap.connect(target.address());
				connect.addListener((ChannelFuture future) -> {
					if (!future.isSuccess()) {
						failed.incrementAndGet();
						permits.release();
						return;
					}
					Channel channel = future.channel();
					open.add(channel);
					if (target.tls()) {
						channel.pipeline().get(SslHandler.class).handshakeFuture().addListener((handshake) -> {
							if (handshake.isSuccess()) {
								channel.writeAndFlush(target.request(true));
							}
						});
					}
					else {
						channel.writeAndFlush(target.request(true));
					}
				});
			}
			if (!permits.tryAcquire(IN_FLIGHT, 120, TimeUnit.SECONDS)) {
				System.err.println("some connections neither answered nor failed within 120 s");
			}
			long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
			String opened = "open=" + answered.get() + " failed=" + failed.get() + " open_millis=" + openMillis;
			System.out.println("idle connections ready: " + opened);
			Files.writeString(Path.of(readyFile), opened + "\n");
			Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
			long stillOpen = open.stream().filter(Channel::isActive).count();
			System.out.println("RESULT mode=idle requested=" + connections + " " + opened + " still_open=" + stillOpen
					+ " closed_by_server=" + closedEarly.get());
		}
		finally {
			for (Channel channel : open) {
				channel.close();
			}
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}
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
