package io.hybridserver.bench.loadgen;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * WebSocket load for scenario 10: the handshake over the same HTTP/1.1 (or TLS) connection {@link Target} opens, then
 * Netty's WebSocket client frames (masked, no compression offered, so every server does the same work).
 *
 * <ul>
 * <li>{@code ws-echo}: closed loop, each connection sends one text message of {@code MESSAGE_BYTES} ASCII bytes, waits
 * for it to come back (checked: same length), and sends the next. Echoed messages per second over the measured
 * window, and the round-trip time of each (p50 ... max).</li>
 * <li>{@code ws-idle}: opens that many WebSocket sessions, makes one echo on each (so the server's session exists), then
 * holds them idle and writes {@code READY_FILE}, as {@link IdleConnections} does for HTTP.</li>
 * </ul>
 * All connections run on one event loop thread, as wrk runs on one (the harness pins the client to its load core).
 */
final class WebSocketLoad {

	/** Handshakes at a time while opening: the accept backlog never overflows. */
	private static final int IN_FLIGHT = 200;

	private static final AttributeKey<Long> SENT_AT = AttributeKey.valueOf("sentAt");

	private WebSocketLoad() {
	}

	static void echo(Target target, int connections, int messageBytes, int warmupSeconds, int seconds)
			throws Exception {
		byte[] message = new byte[messageBytes];
		Arrays.fill(message, (byte) 'x');
		EchoState state = new EchoState(message);
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		List<Channel> open = new CopyOnWriteArrayList<>();
		try {
			Bootstrap bootstrap = target.bootstrap(group, initializer(target, new EchoClient(state)));
			Semaphore permits = new Semaphore(IN_FLIGHT);
			for (int i = 0; i < connections; i++) {
				permits.acquire();
				bootstrap.connect(target.address()).addListener((ChannelFuture future) -> {
					permits.release();
					if (future.isSuccess()) {
						open.add(future.channel());
					}
					else {
						state.failedConnections.incrementAndGet();
					}
				});
			}
			Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
			if (state.handshakes.get() == 0) {
				System.out.println("no WebSocket handshake succeeded within the warm-up: "
						+ ((state.firstFailure != null) ? state.firstFailure : "no handshake answered"));
				return;
			}
			// The measured window: counters and samples restart on the event loop, where they are kept.
			group.submit(state::startMeasuring).sync();
			double cpu = ServerCpu.seconds();
			long began = System.nanoTime();
			Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
			String result = group.submit(() -> state.result(System.nanoTime() - began)).get();
			String serverCpu = ServerCpu.since(cpu);
			System.out.println("RESULT mode=ws-echo connections=" + connections + " message_bytes=" + messageBytes
					+ " " + result + serverCpu);
		}
		finally {
			for (Channel channel : open) {
				channel.close();
			}
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}
	}

	static void idle(Target target, int connections, int holdSeconds, String readyFile) throws Exception {
		Semaphore permits = new Semaphore(IN_FLIGHT);
		IdleState state = new IdleState(permits);
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		List<Channel> open = new CopyOnWriteArrayList<>();
		long began = System.nanoTime();
		try {
			Bootstrap bootstrap = target.bootstrap(group, initializer(target, new IdleClient(state)));
			for (int i = 0; i < connections; i++) {
				permits.acquire();
				bootstrap.connect(target.address()).addListener((ChannelFuture future) -> {
					if (future.isSuccess()) {
						open.add(future.channel());
					}
					else {
						state.failed.incrementAndGet();
						permits.release();
					}
				});
			}
			if (!permits.tryAcquire(IN_FLIGHT, 120, TimeUnit.SECONDS)) {
				System.err.println("some sessions neither opened nor failed within 120 s");
			}
			long openMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
			String opened = "open=" + state.echoed.get() + " failed=" + state.failed.get() + " open_millis="
					+ openMillis;
			System.out.println("idle WebSocket sessions ready: " + opened
					+ ((state.firstFailure != null) ? " first failure: " + state.firstFailure : ""));
			Files.writeString(Path.of(readyFile), opened + "\n");
			Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
			long stillOpen = open.stream().filter(Channel::isActive).count();
			System.out.println("RESULT mode=ws-idle requested=" + connections + " " + opened + " still_open="
					+ stillOpen + " closed_by_server=" + state.closedEarly.get());
		}
		finally {
			for (Channel channel : open) {
				channel.close();
			}
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}
	}

	/** After Target's HTTP client codec: Netty's WebSocket client handshake, then {@code client}. */
	private static ChannelHandler initializer(Target target, ChannelHandler client) {
		URI uri = URI.create((target.tls() ? "wss" : "ws") + "://" + target.host + ":" + target.port + target.path);
		WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
			.webSocketUri(uri)
			.maxFramePayloadLength(1 << 20)
			.handshakeTimeoutMillis(30_000)
			.build();
		return new ChannelInitializer<Channel>() {
			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline().addLast(new WebSocketClientProtocolHandler(config), client);
			}
		};
	}

	/** Counters and samples of the echo run; touched only on the one event loop thread, except the atomics. */
	private static final class EchoState {

		final byte[] message;

		final AtomicInteger handshakes = new AtomicInteger();

		final AtomicInteger failedConnections = new AtomicInteger();

		volatile String firstFailure;

		Latencies latencies = new Latencies();

		long echoed;

		long errors;

		boolean measuring;

		EchoState(byte[] message) {
			this.message = message;
		}

		void startMeasuring() {
			this.latencies = new Latencies();
			this.echoed = 0;
			this.errors = 0;
			this.measuring = true;
		}

		String result(long nanos) {
			this.measuring = false;
			double rps = this.echoed * 1e9 / nanos;
			return "requests=" + this.echoed + " rps=" + String.format("%.0f", rps) + " errors=" + this.errors
					+ " handshakes=" + this.handshakes.get() + " failed_connections="
					+ this.failedConnections.get() + " " + this.latencies.summary();
		}

		void failed(String why) {
			this.failedConnections.incrementAndGet();
			if (this.firstFailure == null) {
				this.firstFailure = why;
			}
		}

	}

	@ChannelHandler.Sharable
	private static final class EchoClient extends ChannelInboundHandlerAdapter {

		private final EchoState state;

		EchoClient(EchoState state) {
			this.state = state;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				this.state.handshakes.incrementAndGet();
				send(ctx);
			}
			else if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
				this.state.failed("handshake timed out");
			}
			ctx.fireUserEventTriggered(event);
		}

		private void send(ChannelHandlerContext ctx) {
			ctx.channel().attr(SENT_AT).set(System.nanoTime());
			ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(this.state.message)));
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (!(msg instanceof TextWebSocketFrame frame)) {
					return;
				}
				long took = System.nanoTime() - ctx.channel().attr(SENT_AT).get();
				ByteBuf content = frame.content();
				if (!frame.isFinalFragment() || content.readableBytes() != this.state.message.length) {
					// Every server here sends a small echo in one frame; anything else is not our echo.
					this.state.errors++;
				}
				else if (this.state.measuring) {
					this.state.echoed++;
					this.state.latencies.add(took);
				}
				send(ctx);
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (ctx.channel().attr(SENT_AT).get() == null) {
				this.state.failed("closed before the handshake completed");
			}
			else if (this.state.measuring) {
				this.state.errors++;
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (ctx.channel().attr(SENT_AT).get() == null) {
				this.state.failed(String.valueOf(cause));
				ctx.channel().attr(SENT_AT).set(0L);   // counted once, not again when the channel closes
			}
			ctx.close();
		}

	}

	private static final class IdleState {

		final Semaphore permits;

		final AtomicInteger echoed = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		final AtomicInteger closedEarly = new AtomicInteger();

		volatile String firstFailure;

		IdleState(Semaphore permits) {
			this.permits = permits;
		}

	}

	/** Opens a session, makes one echo (the permit goes back then), and stays quiet. */
	@ChannelHandler.Sharable
	private static final class IdleClient extends ChannelInboundHandlerAdapter {

		private static final AttributeKey<Boolean> DONE = AttributeKey.valueOf("done");

		private final IdleState state;

		IdleClient(IdleState state) {
			this.state = state;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				ctx.writeAndFlush(new TextWebSocketFrame("idle"));
			}
			ctx.fireUserEventTriggered(event);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof WebSocketFrame && ctx.channel().attr(DONE).setIfAbsent(Boolean.TRUE) == null) {
					boolean echoed = msg instanceof TextWebSocketFrame text
							&& "idle".equals(text.content().toString(StandardCharsets.UTF_8));
					(echoed ? this.state.echoed : this.state.failed).incrementAndGet();
					this.state.permits.release();
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			if (ctx.channel().attr(DONE).setIfAbsent(Boolean.TRUE) == null) {
				this.state.failed.incrementAndGet();
				this.state.permits.release();
			}
			else {
				this.state.closedEarly.incrementAndGet();
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (this.state.firstFailure == null) {
				this.state.firstFailure = String.valueOf(cause);
			}
			ctx.close();
		}

	}

}
