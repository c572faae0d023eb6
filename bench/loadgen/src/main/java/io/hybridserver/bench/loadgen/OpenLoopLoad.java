package io.hybridserver.bench.loadgen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AttributeKey;

/**
 * Open-loop load: requests fall due at a fixed rate whatever the server does, and each one's latency runs from when it
 * was due. A request that falls due while every connection is busy waits for one, and that wait counts, which is what
 * a closed-loop tool (wrk) leaves out (coordinated omission). Everything runs on one event loop, so no state is
 * shared between threads.
 */
final class OpenLoopLoad {

	private static final AttributeKey<Long> DUE = AttributeKey.valueOf("due");

	private static final long TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	private final Target target;

	private final long intervalNanos;

	private final long total;

	private final long warmupNanos;

	private final ArrayDeque<Channel> idle = new ArrayDeque<>();

	private final ArrayDeque<Long> waiting = new ArrayDeque<>();

	private final Latencies latencies = new Latencies();

	private final CountDownLatch finished = new CountDownLatch(1);

	private long start;

	private long issued;

	private long completed;

	private long errors;

	private long lastResponse;

	private double serverCpuAtWarmupEnd = Double.NaN;

	private OpenLoopLoad(Target target, int rate, int warmupSeconds, int seconds) {
		this.target = target;
		this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
		this.total = (long) rate * (warmupSeconds + seconds);
		this.warmupNanos = TimeUnit.SECONDS.toNanos(warmupSeconds);
	}

	static void run(Target target, int rate, int connections, int warmupSeconds, int seconds) throws Exception {
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		try {
			OpenLoopLoad load = new OpenLoopLoad(target, rate, warmupSeconds, seconds);
			EventLoop loop = group.next();
			Bootstrap bootstrap = target.bootstrap(loop, load.new ResponseHandler());
			List<Channel> channels = new ArrayList<>();
			for (int i = 0; i < connections; i++) {
				Channel channel = bootstrap.connect(target.address()).sync().channel();
				if (target.tls()) {
					channel.pipeline().get(io.netty.handler.ssl.SslHandler.class).handshakeFuture().sync();
				}
				channels.add(channel);
			}
			loop.submit(() -> load.idle.addAll(channels)).sync();
			ScheduledFuture<?> ticker = loop.submit(load::begin).get();
			boolean done = load.finished.await(warmupSeconds + seconds + 30L, TimeUnit.SECONDS);
			ticker.cancel(false);
			loop.submit(() -> load.report(rate, connections, seconds, done)).sync();
			for (Channel channel : channels) {
				channel.close();
			}
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}
	}

	private ScheduledFuture<?> begin() {
		this.start = System.nanoTime();
		EventLoop loop = this.idle.peek().eventLoop();
		loop.schedule(() -> this.serverCpuAtWarmupEnd = ServerCpu.seconds(), this.warmupNanos, TimeUnit.NANOSECONDS);
		return loop.scheduleAtFixedRate(this::tick, 0, TICK_NANOS, TimeUnit.NANOSECONDS);
	}

	private void tick() {
		long now = System.nanoTime();
		while (this.issued < this.total) {
			long due = this.start + this.issued * this.intervalNanos;
			if (due > now) {
				break;
			}
			this.issued++;
			Channel channel = this.idle.poll();
			if (channel != null) {
				send(channel, due);
			}
			else {
				this.waiting.add(due);
			}
		}
	}

	private void send(Channel channel, long due) {
		channel.attr(DUE).set(due);
		channel.writeAndFlush(this.target.request(true));
	}

	private void answered(Channel channel, boolean ok) {
		long now = System.nanoTime();
		long due = channel.attr(DUE).get();
		if (due - this.start >= this.warmupNanos) {
			this.latencies.add(now - due);
			this.lastResponse = now;
		}
		if (!ok) {
			this.errors++;
		}
		this.completed++;
		Long next = this.waiting.poll();
		if (next != null) {
			send(channel, next);
		}
		else {
			this.idle.add(channel);
		}
		if (this.completed == this.total) {
			this.finished.countDown();
		}
	}

	private void report(int rate, int connections, int seconds, boolean done) {
		long measuredNanos = Math.max(1, this.lastResponse - (this.start + this.warmupNanos));
		double achieved = this.latencies.count() * 1e9 / measuredNanos;
		System.out.println("RESULT mode=rate target_rps=" + rate + " connections=" + connections + " seconds=" + seconds
				+ " achieved_rps=" + String.format("%.0f", achieved) + " requests=" + this.latencies.count()
				+ " errors=" + this.errors + " incomplete=" + (this.total - this.completed) + " still_waiting="
				+ this.waiting.size() + " " + this.latencies.summary() + ServerCpu.since(this.serverCpuAtWarmupEnd)
				+ (done ? "" : " timed_out=true"));
	}

	@Sharable
	private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
			answered(ctx.channel(), response.status().code() == 200);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			OpenLoopLoad.this.idle.remove(ctx.channel());
			if (OpenLoopLoad.this.completed < OpenLoopLoad.this.total) {
				System.err.println("connection closed by the server during the run: " + ctx.channel());
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			System.err.println("connection failed: " + cause);
			ctx.close();
		}

	}

}
