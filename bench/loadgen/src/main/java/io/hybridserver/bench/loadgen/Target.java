package io.hybridserver.bench.loadgen;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
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
 *
 * <p>{@code http+unix://%2Frun%2Fapp.sock/path} connects to a Unix domain socket directly (the socket's path
 * percent-encoded as the authority, as Python's requests-unixsocket writes it), so that a Unix socket listener is
 * measured without a TCP relay in between.
 */
final class Target {

	final String host;

	final int port;

	final String path;

	final SslContext ssl;

	/** The Unix socket to connect to, or {@code null} for TCP. */
	final String unixSocket;

	private Target(String host, int port, String path, SslContext ssl, String unixSocket) {
		this.host = host;
		this.port = port;
		this.path = path;
		this.ssl = ssl;
		this.unixSocket = unixSocket;
	}

	/** Where to connect: the host and port, or the Unix socket. */
	SocketAddress address() {
		return (this.unixSocket != null) ? new DomainSocketAddress(this.unixSocket)
				: InetSocketAddress.createUnresolved(this.host, this.port);
	}

	static Target parse(String url) throws SSLException {
		URI uri = URI.create(url);
		if ("http+unix".equals(uri.getScheme())) {
			String socket = URLDecoder.decode(uri.getRawAuthority(), StandardCharsets.UTF_8);
			String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
			return new Target("localhost", 80, path, null, socket);
		}
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
		return new Target(uri.getHost(), port, path, ssl, null);
	}

	/** A bootstrap whose channels carry TLS (when asked), an HTTP/1.1 client codec, and then {@code handler}. */
	Bootstrap bootstrap(EventLoopGroup group, ChannelHandler handler) {
		Bootstrap bootstrap = new Bootstrap().group(group).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
		if (this.unixSocket != null) {
			bootstrap.channel(EpollDomainSocketChannel.class);
		}
		else {
			bootstrap.channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
		}
		return bootstrap
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
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
