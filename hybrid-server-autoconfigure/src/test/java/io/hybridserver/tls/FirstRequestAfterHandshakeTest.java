package io.hybridserver.tls;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The first request on a fresh TLS 1.3 connection, sent as its own segment right after the handshake by a client that
 * uses Nagle's algorithm (as Python's {@code ssl} does), must not wait for the server's delayed ACK.
 *
 * <p>Nagle holds the client's request until its Finished is acknowledged. The kernel delays an ACK by at least 40 ms
 * (Linux's {@code TCP_DELACK_MIN}) unless the server sends something or asks for an immediate one. So instead of timing
 * the request, the test looks at the cause: when the server reports the handshake's end (on its event loop, right after
 * processing the client's Finished), the client's TCP stack must already have no unacknowledged segment. Without the
 * immediate ACK that count is 1 for at least 40 ms after the server read the Finished; with it the ACK went out inside
 * the server's call, and loopback delivers it before the call returns. Then the request goes out alone and is answered.
 */
class FirstRequestAfterHandshakeTest {

	private static final int CONNECTIONS = 5;

	@ParameterizedTest
	@EnumSource(value = TlsProvider.class, names = { "BORINGSSL", "JDK" })
	void theClientsFinishedIsAcknowledgedWhenTheHandshakeEnds(TlsProvider provider) throws Exception {
		assumeTrue(Epoll.isAvailable(), "needs the client's TCP_INFO (epoll)");
		AtomicReference<EpollSocketChannel> client = new AtomicReference<>();
		BlockingQueue<Long> unackedAtHandshakeEnd = new LinkedBlockingQueue<>();
		HybridWebServer server = TestTls.start(TestTls.credentials(ClientAuth.NONE),
				(exchange) -> TestServers.respond(exchange, 200, "hello " + exchange.scheme()),
				(settings) -> settings.getTls().setProvider(provider));
		server.setTlsHandshakeListener(new TlsHandshakeListener() {

			@Override
			public void handshakeSucceeded(String protocol, String cipherSuite, boolean resumed,
					long durationNanos) {
				// On the server's event loop, after it processed the client's Finished.
				EpollTcpInfo info = new EpollTcpInfo();
				client.get().tcpInfo(info);
				unackedAtHandshakeEnd.add(info.unacked());
			}

			@Override
			public void handshakeFailed(TlsFailureReason reason, long durationNanos) {
				unackedAtHandshakeEnd.add(-1L);
			}

		});
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
		try {
			SslContext clientTls = SslContextBuilder.forClient()
				.sslProvider(SslProvider.JDK)
				.protocols("TLSv1.3")
				.trustManager(InsecureTrustManagerFactory.INSTANCE)
				.build();
			for (int i = 0; i < CONNECTIONS; i++) {
				Response response = new Response();
				Bootstrap bootstrap = new Bootstrap().group(group)
					.channel(EpollSocketChannel.class)
					// Nagle on, as in Python's ssl and many other clients; Netty's default is off.
					.option(ChannelOption.TCP_NODELAY, false)
					.handler(response);
				EpollSocketChannel channel = (EpollSocketChannel) bootstrap.register().sync().channel();
				client.set(channel);
				SslHandler tls = clientTls.newHandler(channel.alloc(), "localhost", server.getPort());
				channel.pipeline().addFirst(tls);
				try {
					channel.connect(new java.net.InetSocketAddress("127.0.0.1", server.getPort())).sync();
					tls.handshakeFuture().sync();
					Long unacked = unackedAtHandshakeEnd.poll(10, TimeUnit.SECONDS);
					assertThat(unacked).as("unacknowledged client segments when the server's handshake ended")
						.isEqualTo(0L);
					// The request as its own write after the handshake, as Python's ssl client sends it.
					String request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
					channel.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII)).sync();
					assertThat(response.text.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200")
						.endsWith("hello https");
				}
				finally {
					channel.close().sync();
				}
			}
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
			server.destroy();
		}
	}

	/** Collects the answer until the server closes. */
	private static final class Response extends ChannelInboundHandlerAdapter {

		private final StringBuilder received = new StringBuilder();

		final CompletableFuture<String> text = new CompletableFuture<>();

		@Override
		public boolean isSharable() {
			return false;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf bytes = (ByteBuf) msg;
			try {
				this.received.append(bytes.toString(StandardCharsets.US_ASCII));
			}
			finally {
				bytes.release();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.text.complete(this.received.toString());
			ctx.fireChannelInactive();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.text.completeExceptionally(cause);
		}

	}

}
