package io.hybridserver.bench.loadgen;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;

/**
 * Closed-loop {@code GET} load over HTTP/1.1, HTTP/2 or HTTP/3 with one client for all three, so that the protocols are
 * compared on the same server without also comparing load tools (wrk and h2load are C, and neither speaks QUIC). The
 * same number of requests is in flight whatever the protocol: {@code CONNECTIONS x STREAMS} HTTP/1.1 keep-alive
 * connections with one request each, or {@code CONNECTIONS} HTTP/2 (TLS, ALPN {@code h2}) or QUIC connections with
 * {@code STREAMS} concurrent streams each. A finished request is followed at once by the next on its connection (a
 * new stream on HTTP/2 and HTTP/3). Latency runs from a request's send to its response's end; the requests that both
 * start after the warm-up and end before its end are measured. Everything runs on one event loop: nothing is shared
 * between threads. Every QUIC connection has its own UDP socket, as separate clients would.
 */
final class ProtocolLoad {

	private final Target target;

	private final String protocol;

	private final Latencies latencies = new Latencies();

	private final CountDownLatch finished = new CountDownLatch(1);

	private final long warmupNanos;

	private final long durationNanos;

	// The measured window: set once every connection is up, so that connecting is no part of the warm-up.
	private long measureFrom;

	private long measureTo;

	private long inFlight;

	private long errors;

	private long completed;

	private double serverCpuAtWarmupEnd = Double.NaN;

	private double serverCpuAtEnd = Double.NaN;

	private ProtocolLoad(Target target, String protocol, int warmupSeconds, int seconds) {
		this.target = target;
		this.protocol = protocol;
		this.warmupNanos = TimeUnit.SECONDS.toNanos(warmupSeconds);
		this.durationNanos = TimeUnit.SECONDS.toNanos(seconds);
	}

	static void run(String protocol, Target target, int connections, int streams, int warmupSeconds, int seconds)
			throws Exception {
		if (!target.tls() && !"h1".equals(protocol)) {
			throw new IllegalArgumentException(protocol + " needs an https:// URL");
		}
		MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		List<Channel> channels = new ArrayList<>();
		try {
			EventLoop loop = group.next();
			ProtocolLoad load = new ProtocolLoad(target, protocol, warmupSeconds, seconds);
			List<Runnable> starts = new ArrayList<>();
			switch (protocol) {
				case "h1" -> load.connectHttp1(loop, connections * streams, channels, starts);
				case "h2" -> load.connectHttp2(loop, connections, streams, channels, starts);
				case "h3" -> load.connectHttp3(loop, connections, streams, channels, starts);
				default -> throw new IllegalArgumentException("protocol h1, h2 or h3, not " + protocol);
			}
			// Connected and handshaken: the clock starts now, for every protocol alike.
			loop.submit(() -> {
				load.measureFrom = System.nanoTime() + load.warmupNanos;
				load.measureTo = load.measureFrom + load.durationNanos;
				starts.forEach(Runnable::run);
			}).sync();
			loop.schedule(() -> load.serverCpuAtWarmupEnd = ServerCpu.seconds(), load.warmupNanos,
					TimeUnit.NANOSECONDS);
			loop.schedule(() -> load.serverCpuAtEnd = ServerCpu.seconds(), load.warmupNanos + load.durationNanos,
					TimeUnit.NANOSECONDS);
			boolean done = load.finished.await(warmupSeconds + seconds + 30L, TimeUnit.SECONDS);
			loop.submit(() -> load.report(connections, streams, seconds, done)).sync();
		}
		finally {
			for (Channel channel : channels) {
				channel.close();
			}
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}
	}

	private boolean stopped() {
		return System.nanoTime() >= this.measureTo;
	}

	/** A request started at {@code start} ended; says whether its connection should send another. */
	private boolean ended(long start, boolean ok) {
		long end = System.nanoTime();
		this.inFlight--;
		if (start >= this.measureFrom && end <= this.measureTo) {
			this.latencies.add(end - start);
			this.completed++;
			if (!ok) {
				this.errors++;
			}
		}
		if (stopped()) {
			if (this.inFlight == 0) {
				this.finished.countDown();
			}
			return false;
		}
		this.inFlight++;
		return true;
	}

	/** A request failed without an answer: counted, and its connection (or stream slot) sends no more. */
	private void failed(Throwable cause) {
		this.errors++;
		this.inFlight--;
		System.err.println(this.protocol + " request failed: " + cause);
		if (stopped() && this.inFlight <= 0) {
			this.finished.countDown();
		}
	}

	private void report(int connections, int streams, int seconds, boolean done) {
		double measured = (this.measureTo - this.measureFrom) / 1e9;
		String cpu = (Double.isNaN(this.serverCpuAtWarmupEnd) || Double.isNaN(this.serverCpuAtEnd)) ? ""
				: String.format(" server_cpu_s=%.2f", this.serverCpuAtEnd - this.serverCpuAtWarmupEnd);
		System.out.println("RESULT mode=closed protocol=" + this.protocol + " connections=" + connections
				+ " streams=" + streams + " seconds=" + seconds + " rps="
				+ String.format("%.0f", this.latencies.count() / measured) + " requests=" + this.completed
				+ " errors=" + this.errors + " " + this.latencies.summary() + cpu + (done ? "" : " timed_out=true"));
	}

	// ---- HTTP/1.1: one request at a time per keep-alive connection

	private void connectHttp1(EventLoop loop, int count, List<Channel> channels, List<Runnable> starts)
			throws Exception {
		Http1Responses handler = new Http1Responses();
		Bootstrap bootstrap = this.target.bootstrap(loop, handler);
		for (int i = 0; i < count; i++) {
			Channel channel = bootstrap.connect(this.target.address()).sync().channel();
			if (this.target.tls()) {
				channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
			}
			channels.add(channel);
			starts.add(() -> {
				this.inFlight++;
				handler.send(channel);
			});
		}
	}

	@Sharable
	private final class Http1Responses extends SimpleChannelInboundHandler<FullHttpResponse> {

		private final java.util.Map<Channel, Long> started = new java.util.HashMap<>();

		void send(Channel channel) {
			this.started.put(channel, System.nanoTime());
			channel.writeAndFlush(ProtocolLoad.this.target.request(true));
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
			if (ended(this.started.get(ctx.channel()), response.status().code() == 200)) {
				send(ctx.channel());
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			failed(cause);
			ctx.close();
		}

	}

	// ---- HTTP/2: STREAMS streams at a time per TLS connection (ALPN h2)

	private void connectHttp2(EventLoop loop, int count, int streams, List<Channel> channels, List<Runnable> starts)
			throws Exception {
		SslContext ssl = SslContextBuilder.forClient()
			.sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
			.trustManager(InsecureTrustManagerFactory.INSTANCE)
			.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
					ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
					ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
			.build();
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channel(EpollSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline()
						.addLast(ssl.newHandler(channel.alloc()), Http2FrameCodecBuilder.forClient().build(),
								new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
				}
			});
		for (int i = 0; i < count; i++) {
			Channel channel = bootstrap.connect(new InetSocketAddress(this.target.host, this.target.port))
				.sync()
				.channel();
			SslHandler tls = channel.pipeline().get(SslHandler.class);
			tls.handshakeFuture().sync();
			if (!ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
				throw new IllegalStateException("the server did not choose h2 by ALPN: " + tls.applicationProtocol());
			}
			channels.add(channel);
			for (int s = 0; s < streams; s++) {
				starts.add(() -> {
					this.inFlight++;
					sendHttp2(channel);
				});
			}
		}
	}

	private void sendHttp2(Channel connection) {
		long start = System.nanoTime();
		new Http2StreamChannelBootstrap(connection).handler(new ChannelInitializer<Http2StreamChannel>() {
			@Override
			protected void initChannel(Http2StreamChannel stream) {
				stream.pipeline()
					.addLast(new Http2StreamFrameToHttpObjectCodec(false), new HttpObjectAggregator(1 << 20),
							new SimpleChannelInboundHandler<FullHttpResponse>() {
								@Override
								protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
									ctx.close();
									if (ended(start, response.status().code() == 200)) {
										sendHttp2(connection);
									}
								}

								@Override
								public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
									failed(cause);
									ctx.close();
								}
							});
			}
		}).open().addListener((opened) -> {
			if (!opened.isSuccess()) {
				failed(opened.cause());
				return;
			}
			Http2StreamChannel stream = (Http2StreamChannel) opened.getNow();
			DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
					this.target.path);
			request.headers().set(HttpHeaderNames.HOST, this.target.host + ":" + this.target.port);
			request.headers().set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "https");
			stream.writeAndFlush(request);
		});
	}

	// ---- HTTP/3: STREAMS request streams at a time per QUIC connection, each on its own UDP socket

	private void connectHttp3(EventLoop loop, int count, int streams, List<Channel> channels, List<Runnable> starts)
			throws Exception {
		QuicSslContext ssl = QuicSslContextBuilder.forClient()
			.trustManager(InsecureTrustManagerFactory.INSTANCE)
			.applicationProtocols(Http3.supportedApplicationProtocols())
			.build();
		for (int i = 0; i < count; i++) {
			Channel datagram = new Bootstrap().group(loop)
				.channel(EpollDatagramChannel.class)
				.handler(Http3.newQuicClientCodecBuilder()
					.sslContext(ssl)
					.maxIdleTimeout(60, TimeUnit.SECONDS)
					.initialMaxData(16 * 1024 * 1024)
					.initialMaxStreamDataBidirectionalLocal(1024 * 1024)
					.build())
				.bind(0)
				.sync()
				.channel();
			channels.add(datagram);
			QuicChannel quic = QuicChannel.newBootstrap(datagram)
				.handler(new Http3ClientConnectionHandler())
				.remoteAddress(new InetSocketAddress(this.target.host, this.target.port))
				.connect()
				.get(20, TimeUnit.SECONDS);
			channels.add(quic);
			for (int s = 0; s < streams; s++) {
				starts.add(() -> {
					this.inFlight++;
					sendHttp3(quic);
				});
			}
		}
	}

	private void sendHttp3(QuicChannel quic) {
		long start = System.nanoTime();
		Http3RequestStreamInboundHandler response = new Http3RequestStreamInboundHandler() {

			private boolean ok;

			@Override
			protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
				CharSequence status = frame.headers().status();
				if (status != null && status.length() == 3 && status.charAt(0) != '1') {
					this.ok = "200".contentEquals(status);
				}
				ReferenceCountUtil.release(frame);
			}

			@Override
			protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
				frame.release();
			}

			@Override
			protected void channelInputClosed(ChannelHandlerContext ctx) {
				ctx.close();
				if (ended(start, this.ok)) {
					sendHttp3(quic);
				}
			}

			@Override
			public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
				failed(cause);
				ctx.close();
			}

		};
		Http3.newRequestStream(quic, response).addListener((opened) -> {
			if (!opened.isSuccess()) {
				failed(opened.cause());
				return;
			}
			QuicStreamChannel stream = (QuicStreamChannel) opened.getNow();
			stream.writeAndFlush(new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().method("GET")
				.path(this.target.path)
				.authority(this.target.host + ":" + this.target.port)
				.scheme("https"))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
		});
	}

}
