package io.hybridserver.bench.loadgen;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AttributeKey;

/**
 * Closed-loop load where every request is a new connection: connect, full TLS handshake, one request with
 * {@code Connection: close}, wait for the server to close, repeat. The server closes first, so TIME_WAIT stays on its
 * side and the client does not run out of ports. Latency runs from the connect to the response.
 */
final class HandshakeLoad {

	private static final AttributeKey<Long> STARTED = AttributeKey.valueOf("started");

	private final Target target;

	private final long deadline;

	private final Latencies latencies = new Latencies();

	private final CountDownLatch finished;

	private Bootstrap bootstrap;

	private long errors;

	private HandshakeLoad(Target target, int connections, long deadline) {
		this.target = target;
		this.deadline = deadline;
		this.finished = new CountDownLatch(connections);
	}

	/** Warms up (the client's JIT too) for {@code warmupSeconds}, then measures for {@code seconds}. */
	static void run(Target target, int connections, int warmupSeconds, int seconds) throws Exception {
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		try {
			EventLoop loop = group.next();
			if (warmupSeconds > 0) {
				phase(target, loop, connections, warmupSeconds);
			}
			double cpu = ServerCpu.seconds();
			long began = System.nanoTime();
			HandshakeLoad load = phase(target, loop, connections, seconds);
			double elapsed = (System.nanoTime() - began) / 1e9;
			String serverCpu = ServerCpu.since(cpu);
			loop.submit(() -> System.out.println("RESULT mode=handshake connections=" + connections + " seconds="
					+ seconds + " rps=" + String.format("%.0f", load.latencies.count() / elapsed) + " requests="
					+ load.latencies.count() + " errors=" + load.errors + " " + load.latencies.summary() + serverCpu))
				.sync();
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}
	}

	private static HandshakeLoad phase(Target target, EventLoop loop, int connections, int seconds)
			throws InterruptedException {
		HandshakeLoad load = new HandshakeLoad(target, connections,
				System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
		load.bootstrap = target.bootstrap(loop, load.new ResponseHandler());
		loop.execute(() -> {
			for (int i = 0; i < connections; i++) {
				load.next();
			}
		});
		load.finished.await(seconds + 30L, TimeUnit.SECONDS);
		return load;
	}

	/** Starts the next connection of one loop, or ends the loop at the deadline. Runs on the event loop. */
	private void next() {
		long now = System.nanoTime();
		if (now >= this.deadline) {
			this.finished.countDown();
			return;
		}
		ChannelFuture connect = this.bootstrap.connect(this.target.address());
		connect.channel().attr(STARTED).set(now);
		connect.addListener((ChannelFuture future) -> {
			if (future.isSuccess()) {
				future.channel().writeAndFlush(this.target.request(false));
			}
			else {
				if (this.errors < 5) {
					System.err.println("connect failed: " + future.cause());
				}
				this.errors++;
				next();
			}
		});
	}

	@Sharable
	private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

		private static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("handshake-answered");

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
			ctx.channel().attr(ANSWERED).set(Boolean.TRUE);
			if (response.status().code() == 200) {
				HandshakeLoad.this.latencies.add(System.nanoTime() - ctx.channel().attr(STARTED).get());
			}
			else {
				HandshakeLoad.this.errors++;
			}
			// The server closes (Connection: close); close anyway if it has not after a second.
			ctx.executor().schedule(() -> ctx.close(), 1, TimeUnit.SECONDS);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (ctx.channel().attr(ANSWERED).get() == null) {
				HandshakeLoad.this.errors++;
			}
			next();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (HandshakeLoad.this.errors < 5) {
				System.err.println("connection failed: " + cause);
			}
			ctx.close();
		}

	}

}
