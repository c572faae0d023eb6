package io.hybridserver.bench.loadgen;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;

/**
 * Scenario 16, warm-up: closed-loop keep-alive load from a server's first answer on, counted in fixed windows (5 s),
 * so that a chart shows how fast each server reaches its speed after launch. wrk reports one number per run, and
 * repeated short wrk runs would leave gaps between them and open their connections again each time.
 *
 * <ol>
 * <li>The client warms itself up first, against a trivial HTTP server of its own on loopback, for
 * {@code CLIENT_WARMUP_SECONDS}: otherwise its own JIT warm-up would be counted against the first windows of every
 * server. Then it writes {@code READY_FILE}, and the harness launches the server.</li>
 * <li>It asks {@code GET PATH} every 10 ms until the server answers 200. That answer is time zero.</li>
 * <li>It opens {@code CONNECTIONS} connections and keeps one request in flight on each for {@code SECONDS}. A
 * connection the server closes (a keep-alive cap) is opened again at once and counted. Windows run from time zero, so
 * the first one includes opening the connections (and their TLS handshakes).</li>
 * </ol>
 *
 * Prints one {@code WINDOW index=... requests=... rps=... p50_us=... p99_us=...} line per window and a {@code RESULT}
 * line. All connections run on one event loop thread, as wrk's do on one thread.
 */
final class WarmupWindows {

	private static final AttributeKey<Long> SENT = AttributeKey.valueOf("sent");

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private final Target target;

	private final long windowNanos;

	private final Latencies[] windows;

	private final long[] errors;

	private final CountDownLatch finished = new CountDownLatch(1);

	private Bootstrap bootstrap;

	private long start;

	private long end;

	private long reconnects;

	private int active;

	private boolean over;

	private WarmupWindows(Target target, int seconds, int windowSeconds) {
		this.target = target;
		this.windowNanos = TimeUnit.SECONDS.toNanos(windowSeconds);
		int count = (seconds + windowSeconds - 1) / windowSeconds;
		this.windows = new Latencies[count];
		this.errors = new long[count];
		for (int i = 0; i < count; i++) {
			this.windows[i] = new Latencies();
		}
	}

	static void run(Target target, int connections, int seconds, int windowSeconds, int clientWarmupSeconds,
			int waitSeconds, String readyFile) throws Exception {
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		try {
			EventLoop loop = group.next();
			if (clientWarmupSeconds > 0) {
				warmItself(loop, target.tls(), connections, clientWarmupSeconds);
			}
			Files.writeString(Path.of(readyFile), "ready\n");
			WarmupWindows load = new WarmupWindows(target, seconds, windowSeconds);
			long firstAnswer = load.awaitFirstAnswer(loop, waitSeconds);
			if (firstAnswer < 0) {
				System.out.println("RESULT mode=windows requests=0 errors=0 timed_out=true");
				return;
			}
			load.begin(loop, connections, firstAnswer, seconds);
			boolean done = load.finished.await(seconds + 60L, TimeUnit.SECONDS);
			loop.submit(() -> load.report(connections, windowSeconds, done)).sync();
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}
	}

	/**
	 * The same load against a server of the client's own, so that the client's codec, handler and event loop are
	 * compiled before any measured server answers. Over TLS too when the target is TLS and the harness names its
	 * certificate and key ({@code -Dbench.tlsCertificate}, {@code -Dbench.tlsKey}): the client's TLS path is then
	 * warm as well.
	 */
	private static void warmItself(EventLoop loop, boolean tls, int connections, int seconds) throws Exception {
		String certificate = System.getProperty("bench.tlsCertificate");
		String key = System.getProperty("bench.tlsKey");
		SslContext ssl = (tls && certificate != null && key != null) ? SslContextBuilder
			.forServer(new File(certificate), new File(key))
			.sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
			.build() : null;
		Channel server = new ServerBootstrap().group(loop)
			.channel(EpollServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					if (ssl != null) {
						channel.pipeline().addLast(ssl.newHandler(channel.alloc()));
					}
					channel.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new TrivialServer());
				}
			})
			.bind(new InetSocketAddress("127.0.0.1", 0))
			.sync()
			.channel();
		try {
			int port = ((InetSocketAddress) server.localAddress()).getPort();
			String scheme = (ssl != null) ? "https" : "http";
			WarmupWindows warm = new WarmupWindows(Target.parse(scheme + "://127.0.0.1:" + port + "/json"), seconds,
					seconds);
			warm.begin(loop, connections, System.nanoTime(), seconds);
			warm.finished.await(seconds + 30L, TimeUnit.SECONDS);
			loop.submit(() -> System.out.println("client warmed up: " + warm.windows[0].count() + " requests in "
					+ seconds + " s against its own " + scheme + " server")).sync();
		}
		finally {
			server.close().sync();
		}
	}

	/** Polls until the server answers 200; the time of that answer, or -1 when none came within the wait. */
	private long awaitFirstAnswer(EventLoop loop, int waitSeconds) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
		Bootstrap probe = this.target.bootstrap(loop, new ProbeHandler());
		while (System.nanoTime() < deadline) {
			long began = System.nanoTime();
			ChannelFuture connect = probe.connect(this.target.address()).await();
			if (connect.isSuccess()) {
				Channel channel = connect.channel();
				if (this.target.tls()) {
					channel.pipeline().get(SslHandler.class).handshakeFuture().await(10, TimeUnit.SECONDS);
				}
				channel.writeAndFlush(this.target.request(false));
				channel.closeFuture().await(10, TimeUnit.SECONDS);
				Long answered = channel.attr(SENT).get();
				channel.close();
				if (answered != null) {
					return answered;
				}
			}
			long pause = POLL_NANOS - (System.nanoTime() - began);
			if (pause > 0) {
				TimeUnit.NANOSECONDS.sleep(pause);
			}
		}
		return -1;
	}

	private void begin(EventLoop loop, int connections, long firstAnswer, int seconds) {
		this.bootstrap = this.target.bootstrap(loop, new ResponseHandler());
		loop.execute(() -> {
			this.start = firstAnswer;
			this.end = firstAnswer + TimeUnit.SECONDS.toNanos(seconds);
			loop.schedule(this::stop, this.end - System.nanoTime(), TimeUnit.NANOSECONDS);
			for (int i = 0; i < connections; i++) {
				connect();
			}
		});
	}

	private void connect() {
		this.active++;
		this.bootstrap.connect(this.target.address()).addListener((ChannelFuture future) -> {
			if (!future.isSuccess()) {
				// Refused or timed out: counted, and tried again shortly (not at once: a server that refuses every
				// connection would otherwise be met with a loop of connects).
				this.active--;
				if (this.over) {
					maybeFinished();
					return;
				}
				error(System.nanoTime());
				this.active++;
				future.channel().eventLoop().schedule(() -> {
					this.active--;
					connect();
				}, 10, TimeUnit.MILLISECONDS);
				return;
			}
			Channel channel = future.channel();
			if (this.target.tls()) {
				channel.pipeline().get(SslHandler.class).handshakeFuture().addListener((handshake) -> {
					if (handshake.isSuccess()) {
						send(channel);
					}
				});
			}
			else {
				send(channel);
			}
		});
	}

	private void send(Channel channel) {
		if (this.over) {
			channel.close();
			return;
		}
		channel.attr(SENT).set(System.nanoTime());
		channel.writeAndFlush(this.target.request(true));
	}

	private void answered(Channel channel, boolean ok) {
		long now = System.nanoTime();
		Long sent = channel.attr(SENT).getAndSet(null);
		int window = window(now);
		if (window >= 0 && sent != null) {
			if (ok) {
				this.windows[window].add(now - sent);
			}
			else {
				this.errors[window]++;
			}
		}
		send(channel);
	}

	private void error(long now) {
		int window = window(now);
		if (window >= 0) {
			this.errors[window]++;
		}
	}

	/** The window {@code now} falls in, or -1 past the end. */
	private int window(long now) {
		long index = (now - this.start) / this.windowNanos;
		return (now >= this.end || index >= this.windows.length) ? -1 : (int) Math.max(0, index);
	}

	private void closed(Channel channel) {
		this.active--;
		if (!this.over) {
			// A request in flight when the server closed is an error; a closed idle connection (a keep-alive cap
			// reached) is not, but either way the load goes on over a new connection.
			if (channel.attr(SENT).get() != null) {
				error(System.nanoTime());
			}
			this.reconnects++;
			connect();
		}
		else {
			maybeFinished();
		}
	}

	private void maybeFinished() {
		if (this.active == 0) {
			this.finished.countDown();
		}
	}

	private void stop() {
		this.over = true;
		maybeFinished();
		// Connections close as their last answers arrive (send() closes them), so no answer is cut off mid-window.
	}

	private void report(int connections, int windowSeconds, boolean done) {
		long total = 0;
		long failed = 0;
		for (int i = 0; i < this.windows.length; i++) {
			Latencies window = this.windows[i];
			total += window.count();
			failed += this.errors[i];
			System.out.println("WINDOW index=" + i + " start_s=" + (i * windowSeconds) + " requests=" + window.count()
					+ " rps=" + String.format("%.0f", window.count() / (double) windowSeconds) + " errors="
					+ this.errors[i] + " " + window.summary());
		}
		System.out.println("RESULT mode=windows connections=" + connections + " windows=" + this.windows.length
				+ " window_s=" + windowSeconds + " requests=" + total + " errors=" + failed + " reconnects="
				+ this.reconnects + (done ? "" : " timed_out=true"));
	}

	/** Records when the probe's answer came, if it was a 200. */
	@Sharable
	private static final class ProbeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
			if (response.status().code() == 200) {
				ctx.channel().attr(SENT).set(System.nanoTime());
			}
			ctx.close();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	@Sharable
	private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
			answered(ctx.channel(), response.status().code() == 200);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			closed(ctx.channel());
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	/** The client's own warm-up server: a fixed small JSON answer on the event loop. */
	@Sharable
	private static final class TrivialServer extends SimpleChannelInboundHandler<FullHttpRequest> {

		private static final byte[] BODY = "{\"warm\":true}".getBytes(StandardCharsets.US_ASCII);

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
					Unpooled.wrappedBuffer(BODY));
			response.headers().set(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
			ctx.writeAndFlush(response);
		}

	}

}
