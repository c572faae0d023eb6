package io.hybridserver.http.h3;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicCodecDispatcher;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;

import io.hybridserver.http.ExchangeDispatcher;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.ResponseRoute;
import io.hybridserver.tls.QuicTls;

/**
 * The UDP listener that serves HTTP/3: Netty's QUIC server codec on datagram channels of the server's own event
 * loops, with Retry address validation ({@link RetryTokenHandler}), the limits of {@link Http3Config}, and an
 * {@link H3Stream} on each request stream, which hands its exchange to the same dispatcher and response lanes as the
 * TCP listeners.
 *
 * <p>By default one datagram channel, so every QUIC connection of the listener runs on one event loop. With
 * {@link Http3Config#isReusePort()} it binds one channel per event loop with {@code SO_REUSEPORT}: the kernel spreads
 * datagrams over them by a hash of their addresses and ports, and Netty's {@link QuicCodecDispatcher} puts each
 * socket's index into the connection ids that socket's codec issues, so a packet that lands on another socket (the
 * client's address or port changed, or the set of sockets did) is handed to the one that owns its connection.
 */
public final class Http3Listener {

	private final List<Channel> channels;

	private final ChannelGroup connections;

	private Http3Listener(List<Channel> channels, ChannelGroup connections) {
		this.channels = channels;
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
	 * @param tls TLS 1.3, offering {@code h3} by ALPN; each new connection takes an engine of its current context,
	 *     so a certificate reload reaches new connections
	 * @param sockets how many sockets share the port by {@code SO_REUSEPORT} (1: one plain socket)
	 * @param maxConnectionsPerAddress QUIC connections one client address may have open; 0 or less for no limit
	 */
	public static Http3Listener bind(InetSocketAddress address, Http3Config config, HttpServerConfig http,
			QuicTls tls, EventLoopGroup loops, Class<? extends DatagramChannel> channelType,
			int sockets, HttpServerStats stats, Http3Stats http3Stats, ExchangeDispatcher dispatcher,
			ResponseRoute route, int maxConnectionsPerAddress) {
		QuicAddressLimit addressLimit = new QuicAddressLimit(maxConnectionsPerAddress);
		ChannelGroup connections = new DefaultChannelGroup("hybrid-quic", ImmediateEventExecutor.INSTANCE);
		LoopDispatch.PerLoop dispatchers = new LoopDispatch.PerLoop(dispatcher);
		// One key for every socket's tokens: a Retry from one socket is honoured by any.
		RetryTokenHandler tokens = new RetryTokenHandler();
		http3Stats.tokens(tokens);
		ChannelHandler connectionInitializer = new ChannelInitializer<QuicChannel>() {

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

		};
		Bootstrap bootstrap = new Bootstrap().group(loops).channel(channelType);
		List<Channel> channels = new ArrayList<>();
		try {
			if (sockets <= 1) {
				bootstrap.handler(codec(config, tls, tokens, connectionInitializer).build());
				channels.add(bootstrap.bind(address).syncUninterruptibly().channel());
			}
			else {
				bootstrap.option(UnixChannelOption.SO_REUSEPORT, true).handler(new QuicCodecDispatcher() {

					@Override
					protected void initChannel(Channel channel, int localConnectionIdLength,
							QuicConnectionIdGenerator idGenerator) {
						channel.pipeline().addLast(codec(config, tls, tokens, connectionInitializer)
							.localConnectionIdLength(localConnectionIdLength)
							.connectionIdAddressGenerator(idGenerator)
							.build());
					}

				});
				Channel first = bootstrap.bind(address).syncUninterruptibly().channel();
				channels.add(first);
				// Port 0 chose a port: the other sockets join that one.
				InetSocketAddress chosen = new InetSocketAddress(address.getAddress(),
						((InetSocketAddress) first.localAddress()).getPort());
				for (int i = 1; i < sockets; i++) {
					channels.add(bootstrap.bind(chosen).syncUninterruptibly().channel());
				}
			}
		}
		catch (RuntimeException ex) {
			channels.forEach(Channel::close);
			throw ex;
		}
		return new Http3Listener(List.copyOf(channels), connections);
	}

	/** The QUIC codec of one socket: TLS, Retry, transport limits, and HTTP/3 on every connection. */
	private static QuicServerCodecBuilder codec(Http3Config config, QuicTls tls,
			RetryTokenHandler tokens, ChannelHandler connectionInitializer) {
		return Http3.newQuicServerCodecBuilder()
			.sslEngineProvider(tls::newEngine)
			.tokenHandler(tokens)
			.maxIdleTimeout(config.getIdleTimeout().toMillis(), TimeUnit.MILLISECONDS)
			.maxRecvUdpPayloadSize(config.getMaxUdpPayloadSize())
			.maxSendUdpPayloadSize(config.getMaxUdpPayloadSize())
			.initialMaxData(config.getInitialMaxData())
			.initialMaxStreamDataBidirectionalRemote(config.getInitialMaxStreamData())
			.initialMaxStreamDataBidirectionalLocal(config.getInitialMaxStreamData())
			.initialMaxStreamsBidirectional(config.getMaxStreams())
			.handler(connectionInitializer);
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
		return ((InetSocketAddress) this.channels.get(0).localAddress()).getPort();
	}

	/** How many sockets share the port (more than one with {@code SO_REUSEPORT}). */
	public int sockets() {
		return this.channels.size();
	}

	/** Open QUIC connections per socket, in the order the sockets were bound: how the kernel spread them. */
	public List<Integer> connectionsBySocket() {
		List<Integer> counts = new ArrayList<>();
		for (Channel socket : this.channels) {
			int count = 0;
			for (Channel connection : this.connections) {
				if (connection.parent() == socket) {
					count++;
				}
			}
			counts.add(count);
		}
		return counts;
	}

	/** Stops taking datagrams: new connections and open ones alike, since they share the sockets. */
	public void close() {
		for (Channel channel : this.channels) {
			if (channel.isOpen()) {
				channel.close().syncUninterruptibly();
			}
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
