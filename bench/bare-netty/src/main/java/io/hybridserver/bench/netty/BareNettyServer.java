package io.hybridserver.bench.netty;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NettyRuntime;

/**
 * The benchmark's ceiling: Netty on epoll answering {@code GET /json} and {@code POST /echo} on its event loops, with
 * BoringSSL for TLS; and the size sweeps' {@code GET /bytes/{size}} and {@code POST /upload}. Whatever a Netty-based server adds (an application tier, a framework) can only cost throughput
 * relative to this.
 *
 * <p>It reads the same command-line properties as the Spring contenders ({@code --server.port},
 * {@code --server.ssl.enabled}, {@code --server.ssl.certificate}, {@code --server.ssl.certificate-private-key}), so that
 * the harness starts every contender the same way. On exit it prints how many connections and TLS handshakes it saw,
 * and how many of those handshakes resumed a session: the harness uses that to check that a load tool really makes a
 * full handshake per connection.
 */
public final class BareNettyServer {

	private BareNettyServer() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> properties = parse(args);
		int port = Integer.parseInt(properties.getOrDefault("server.port", "8080"));
		SslContext ssl = Boolean.parseBoolean(properties.getOrDefault("server.ssl.enabled", "false"))
				? sslContext(properties) : null;
		int threads = Integer.parseInt(properties.getOrDefault("bench.io-threads",
				String.valueOf(NettyRuntime.availableProcessors())));
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
		ConnectionStats stats = new ConnectionStats();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			System.out.println("bare-netty stats: " + stats);
			group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
		}, "bare-netty-shutdown"));
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(EpollServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 8192)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					stats.connectionOpened();
					ChannelPipeline pipeline = channel.pipeline();
					if (ssl != null) {
						pipeline.addLast(ssl.newHandler(channel.alloc()));
						pipeline.addLast(new HandshakeCounter(stats));
					}
					pipeline.addLast(new HttpServerCodec());
					pipeline.addLast(new UploadHandler());
					pipeline.addLast(new HttpObjectAggregator(1 << 20));
					pipeline.addLast(new BenchHttpHandler());
				}
			});
		try {
			bootstrap.bind(port).sync();
		}
		catch (Exception ex) {
			// Exit rather than linger with live event loops: the harness must see that this contender failed.
			System.err.println("bare-netty cannot listen on port " + port + ": " + ex);
			System.exit(1);
		}
		System.out.println("bare-netty listening on port " + port + ((ssl != null) ? " (TLS, " + OpenSsl.versionString()
				+ ")" : "") + " with " + threads + " epoll event loop(s)");
	}

	private static SslContext sslContext(Map<String, String> properties) throws Exception {
		OpenSsl.ensureAvailability();
		File certificate = file(properties, "server.ssl.certificate");
		File key = file(properties, "server.ssl.certificate-private-key");
		return SslContextBuilder.forServer(certificate, key).sslProvider(SslProvider.OPENSSL).build();
	}

	private static File file(Map<String, String> properties, String name) {
		String location = properties.get(name);
		if (location == null) {
			throw new IllegalArgumentException("--" + name + " is required with --server.ssl.enabled=true");
		}
		return new File(location.startsWith("file:") ? location.substring("file:".length()) : location);
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> properties = new HashMap<>();
		for (String arg : args) {
			if (arg.startsWith("--") && arg.contains("=")) {
				int equals = arg.indexOf('=');
				properties.put(arg.substring(2, equals), arg.substring(equals + 1));
			}
		}
		return properties;
	}

}
