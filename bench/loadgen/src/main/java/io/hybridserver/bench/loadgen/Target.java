package io.hybridserver.bench.loadgen;

import java.net.URI;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * Where the load goes: host, port, path, and TLS or not. TLS uses BoringSSL when it loads, trusts any certificate (the
 * harness makes a throwaway one), and never resumes sessions: handlers are created without a peer host, so each
 * connection makes a full handshake.
 */
final class Target {

	final String host;

	final int port;

	final String path;

	final SslContext ssl;

	private Target(String host, int port, String path, SslContext ssl) {
		this.host = host;
		this.port = port;
		this.path = path;
		this.ssl = ssl;
	}

	static Target parse(String url) throws SSLException {
		URI uri = URI.create(url);
		boolean tls = "https".equals(uri.getScheme());
		int port = (uri.getPort() != -1) ? uri.getPort() : (tls ? 443 : 80);
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		SslContext ssl = null;
		if (tls) {
			ssl = SslContextBuilder.forClient()
				.sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
				.trustManager(InsecureTrustManagerFactory.INSTANCE)
				.build();
		}
		return new Target(uri.getHost(), port, path, ssl);
	}

	/** A bootstrap whose channels carry TLS (when asked), an HTTP/1.1 client codec, and then {@code handler}. */
	Bootstrap bootstrap(EventLoopGroup group, ChannelHandler handler) {
		return new Bootstrap().group(group)
			.channel(EpollSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					ChannelPipeline pipeline = channel.pipeline();
					if (Target.this.ssl != null) {
						pipeline.addLast(Target.this.ssl.newHandler(channel.alloc()));
					}
					pipeline.addLast(new HttpClientCodec());
					pipeline.addLast(new HttpObjectAggregator(1 << 20));
					pipeline.addLast(handler);
				}
			});
	}

	FullHttpRequest request(boolean keepAlive) {
		FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, this.path,
				Unpooled.EMPTY_BUFFER);
		request.headers().set(HttpHeaderNames.HOST, this.host + ":" + this.port);
		if (!keepAlive) {
			request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		}
		return request;
	}

	boolean tls() {
		return this.ssl != null;
	}

}
