package io.hybridserver.http.h3;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;

import io.hybridserver.http.ExchangeDispatcher;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.ResponseRoute;

/**
 * The UDP listener that serves HTTP/3: Netty's QUIC server codec on a datagram channel of the server's own event
 * loops, with Retry address validation ({@link RetryTokenHandler}), the limits of {@link Http3Config}, and an
 * {@link H3Stream} on each request stream, which hands its exchange to the same dispatcher and response lanes as the
 * TCP listeners.
 *
 * <p>One datagram channel, so every QUIC connection of the listener runs on one event loop: spreading them needs
 * connection-id aware steering of several {@code SO_REUSEPORT} sockets, which this first version does not do.
 */
public final class Http3Listener {

	private final Channel channel;

	private final ChannelGroup connections;

	private Http3Listener(Channel channel, ChannelGroup connections) {
		this.channel = channel;
		this.connections = connections;
	}

	/**
	 * Whether QUIC's native library (quiche with its BoringSSL, from netty-codec-native-quic) loads on this machine.
	 */
	public static boolean isAvailable() {
		return Quic.isAvailable();
	}

	/** The ALPN identifiers HTTP/3 is offered under ({@code h3}). */
	public static String[] applicationProtocols() {
		return Http3.supportedApplicationProtocols();
	}

	/** Why QUIC's native library does not load, or {@code null} when it does. */
	public static Throwable unavailabilityCause() {
		return Quic.unavailabilityCause();
	}

	/**
	 * Binds the listener.
	 * @param address the UDP address (the TLS listener's address and, unless configured, its port)
	 * @param sslContext the TLS 1.3 context, offering {@code h3} by ALPN
	 * @param maxConnectionsPerAddress QUIC connections one client address may have open; 0 or less for no limit
	 */
	public static Http3Listener bind(InetSocketAddress address, Http3Config config, HttpServerConfig http,
			QuicSslContext sslContext, EventLoopGroup loops, Class<? extends DatagramChannel> channelType,
			HttpServerStats stats, Http3Stats http3Stats, ExchangeDispatcher dispatcher, ResponseRoute route,
			int maxConnectionsPerAddress) {
		QuicAddressLimit addressLimit = new QuicAddressLimit(maxConnectionsPerAddress);
		ChannelGroup connections = new DefaultChannelGroup("hybrid-quic", ImmediateEventExecutor.INSTANCE);
		LoopDispatch.PerLoop dispatchers = new LoopDispatch.PerLoop(dispatcher);
		RetryTokenHandler tokens = new RetryTokenHandler();
		http3Stats.tokens(tokens);
		ChannelHandler codec = Http3.newQuicServerCodecBuilder()
			.sslContext(sslContext)
			.tokenHandler(tokens)
			.maxIdleTimeout(config.getIdleTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.maxRecvUdpPayloadSize(config.getMaxUdpPayloadSize())
			.maxSendUdpPayloadSize(config.getMaxUdpPayloadSize())
			.initialMaxData(config.getInitialMaxData())
			.initialMaxStreamDataBidirectionalRemote(config.getInitialMaxStreamData())
			.initialMaxStreamDataBidirectionalLocal(config.getInitialMaxStreamData())
			.initialMaxStreamsBidirectional(config.getMaxStreams())
			.handler(new ChannelInitializer<QuicChannel>() {

				@Override
				protected void initChannel(QuicChannel quic) {
					connections.add(quic);
					H3Connection connection = new H3Connection(http3Stats, addressLimit);
					quic.pipeline().addLast(connection, new Http3ServerConnectionHandler(
							new ChannelInitializer<QuicStreamChannel>() {

								@Override
								protected void initChannel(QuicStreamChannel stream) {
									stream.pipeline().addLast(new H3Stream(http, stats, dispatchers, route, connection));
								}

							}, null, null, settings(config), config.getQpackMaxTableCapacity() == 0));
				}

			})
			.build();
		Channel channel = new Bootstrap().group(loops)
			.channel(channelType)
			.handler(codec)
			.bind(address)
			.syncUninterruptibly()
			.channel();
		return new Http3Listener(channel, connections);
	}

	/** The SETTINGS frame the server sends on its control stream. */
	private static Http3SettingsFrame settings(Http3Config config) {
		DefaultHttp3SettingsFrame settings = new DefaultHttp3SettingsFrame();
		settings.put(Http3SettingsFrame.HTTP3_SETTINGS_QPACK_MAX_TABLE_CAPACITY, config.getQpackMaxTableCapacity());
		settings.put(Http3SettingsFrame.HTTP3_SETTINGS_QPACK_BLOCKED_STREAMS, config.getQpackBlockedStreams());
		settings.put(Http3SettingsFrame.HTTP3_SETTINGS_MAX_FIELD_SECTION_SIZE, config.getMaxFieldSectionSize());
		return settings;
	}

	/** The bound UDP port. */
	public int port() {
		return ((InetSocketAddress) this.channel.localAddress()).getPort();
	}

	/** Stops taking datagrams: new connections and open ones alike, since they share the socket. */
	public void close() {
		if (this.channel.isOpen()) {
			this.channel.close().syncUninterruptibly();
		}
	}

	/** Sends GOAWAY on every open connection, each closing once its in-flight streams have ended. */
	public void closeConnectionsGracefully() {
		for (Channel each : this.connections) {
			H3Connection connection = each.pipeline().get(H3Connection.class);
			if (connection != null) {
				each.eventLoop().execute(connection::goAway);
			}
		}
	}

	/** Whether QUIC connections are still open. */
	public boolean hasConnections() {
		return !this.connections.isEmpty();
	}

	/** Closes every connection at once (immediate stop). */
	public void closeConnections(long timeoutMillis) {
		this.connections.close().awaitUninterruptibly(timeoutMillis);
	}

}
