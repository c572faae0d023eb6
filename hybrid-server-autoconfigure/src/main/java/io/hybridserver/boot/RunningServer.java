package io.hybridserver.boot;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;

import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.dispatch.ResponseQueues;
import io.hybridserver.http.ExchangeDispatcher;
import io.hybridserver.http.AltSvc;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.http.HttpsRedirectDispatcher;
import io.hybridserver.http.ProtocolNegotiation;
import io.hybridserver.http.h1.Http1PipelineInitializer;
import io.hybridserver.http.h2.Http2Negotiation;
import io.hybridserver.http.h3.Http3Config;
import io.hybridserver.http.h3.Http3Listener;
import io.hybridserver.tls.ServerTls;
import io.hybridserver.transport.ConnectionLimiter;
import io.hybridserver.transport.ListenerChannelInitializer;
import io.hybridserver.transport.ProtocolDetectionSettings;
import io.hybridserver.transport.ProxyProtocolSettings;
import io.hybridserver.transport.ProxyRejection;
import io.hybridserver.transport.Transport;
import io.hybridserver.transport.TransportKind;
import io.hybridserver.transport.UnixSocketFile;

/**
 * The engine while it runs: event loops, the listening sockets, the dispatcher and the response queues. Made by each
 * {@link HybridWebServer#start()}, so that a stopped server can start again with fresh loops. Every listener (the
 * primary port and the additional ones) shares the loops, the dispatcher, the response queues and the connection
 * limit; each has its own pipeline setup (TLS, PROXY protocol, redirect).
 */
final class RunningServer {

	private static final Log logger = LogFactory.getLog(RunningServer.class);

	/** The primary listener's name in logs and in {@link HybridWebServer#getListenerAddresses()}. */
	static final String PRIMARY = "primary";

	private final Transport transport;

	private final EventLoopGroup loops;

	private final Dispatcher dispatcher;

	private final ResponseQueues responseQueues;

	private final ConnectionLimiter connections;

	private final HttpServerStats stats;

	private final List<BoundListener> listeners;

	private final Http3Listener http3;

	private final HttpServerConfig http;

	private RunningServer(Transport transport, EventLoopGroup loops, Dispatcher dispatcher,
			ResponseQueues responseQueues, ConnectionLimiter connections, HttpServerStats stats,
			List<BoundListener> listeners, Http3Listener http3, HttpServerConfig http) {
		this.transport = transport;
		this.loops = loops;
		this.dispatcher = dispatcher;
		this.responseQueues = responseQueues;
		this.connections = connections;
		this.stats = stats;
		this.listeners = listeners;
		this.http3 = http3;
		this.http = http;
	}

	/**
	 * Builds and binds the engine.
	 * @param tls the primary port's TLS, or {@code null} for plaintext
	 * @param primaryProxyProtocol the primary port's PROXY protocol settings
	 * @param additional the other listeners, bound after the primary port
	 * @param http3 what the QUIC listener serves, or {@code null} when HTTP/3 is off
	 * @throws BindException if an address is in use
	 */
	static RunningServer start(HybridServerSettings settings, InetSocketAddress address, ExchangeHandler handler,
			HttpServerStats stats, DispatchObserver observer, ServerTls tls, ProxyProtocolSettings primaryProxyProtocol,
			List<ListenerSetup> additional, Http3Setup http3) throws Exception {
		Transport transport = Transport.select(settings.getTransport());
		if (settings.isReusePort() && !transport.supportsReusePort()) {
			throw new InvalidServerSettingsException("server.hybrid.reuse-port needs the epoll or io-uring transport "
					+ "(Linux), and this server runs on " + transport.displayName() + ". Turn reuse-port off, or set "
					+ "server.hybrid.transport to epoll or io-uring.");
		}
		if (http3 != null && settings.getHttp3().isReusePort() && !transport.supportsReusePort()) {
			throw new InvalidServerSettingsException("server.hybrid.http3.reuse-port needs the epoll or io-uring "
					+ "transport (Linux), and this server runs on " + transport.displayName() + ". Turn "
					+ "server.hybrid.http3.reuse-port off, or set server.hybrid.transport to epoll or io-uring.");
		}
		Dispatcher dispatcher = newDispatcher(settings, handler, observer);
		EventLoopGroup loops = transport.newEventLoopGroup(settings.getIoThreads(),
				new DefaultThreadFactory("hybrid-io", true));
		List<BoundListener> bound = new ArrayList<>();
		Http3Listener quic = null;
		try {
			ResponseQueues responseQueues = new ResponseQueues(settings.getResponseQueueCapacity());
			ConnectionLimiter connections = new ConnectionLimiter(settings.getMaxConnections(),
					settings.getMaxConnectionsPerAddress());
			ProtocolNegotiation http2 = settings.getHttp2().isEnabled() ? new Http2Negotiation(settings.getHttp(),
					settings.getHttp2(), stats, dispatcher, responseQueues) : null;
			Binder binder = new Binder(settings, transport, loops, connections, stats, dispatcher, responseQueues, http2);
			bound.add(binder.bindTcp(PRIMARY, address, tls, primaryProxyProtocol, settings.getProtocolDetection(),
					dispatcher));
			IntSupplier httpsPort = () -> httpsPort(bound, tls != null, additional);
			for (ListenerSetup setup : additional) {
				HybridListener listener = setup.listener();
				ExchangeDispatcher target = listener.isRedirectToHttps() ? new HttpsRedirectDispatcher(httpsPort)
						: dispatcher;
				if (listener.getUnixSocket() != null) {
					bound.add(binder.bindUnix(setup, target));
				}
				else {
					InetSocketAddress tcp = (listener.getAddress() != null)
							? new InetSocketAddress(listener.getAddress(), listener.getPort())
							: new InetSocketAddress(listener.getPort());
					bound.add(binder.bindTcp(setup.name(), tcp, setup.tls(), listener.getProxyProtocol(),
							listener.getProtocolDetection(), target));
				}
			}
			if (http3 != null) {
				quic = bindHttp3(settings, address, bound.get(0).port(), http3, transport, loops, stats, dispatcher,
						responseQueues);
				settings.getHttp().setAltSvc(AltSvc.forHttp3(quic.port()));
			}
			return new RunningServer(transport, loops, dispatcher, responseQueues, connections, stats,
					Collections.unmodifiableList(bound), quic, settings.getHttp());
		}
		catch (Exception ex) {
			settings.getHttp().setAltSvc(null);
			if (quic != null) {
				quic.close();
			}
			bound.forEach(BoundListener::close);
			dispatcher.stop(0);
			loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
			throw ex;
		}
	}

	/** The QUIC listener on the TLS port's address: its port number unless server.hybrid.http3.port names another. */
	private static Http3Listener bindHttp3(HybridServerSettings settings, InetSocketAddress address, int tlsPort,
			Http3Setup setup, Transport transport, EventLoopGroup loops, HttpServerStats stats, Dispatcher dispatcher,
			ResponseQueues responseQueues) {
		Http3Config config = settings.getHttp3();
		int port = (config.getPort() >= 0) ? config.getPort() : tlsPort;
		InetSocketAddress udp = new InetSocketAddress(address.getAddress(), port);
		try {
			// With reuse-port, one socket per loop: QUIC's packet work is spread as TCP's accepts are.
			int sockets = config.isReusePort() ? settings.getIoThreads() : 1;
			return Http3Listener.bind(udp, config, settings.getHttp(), setup.tls(), loops,
					transport.datagramChannelType(), sockets, stats, setup.stats(), dispatcher, responseQueues,
					settings.getMaxConnectionsPerAddress());
		}
		catch (RuntimeException ex) {
			throw new ListenerBindException("http3", "UDP port " + port, port, ex);
		}
	}

	/** The port a redirect listener sends clients to: the primary's when it is TLS, else the first TLS listener's. */
	private static int httpsPort(List<BoundListener> bound, boolean primaryTls, List<ListenerSetup> additional) {
		if (primaryTls) {
			return bound.get(0).port();
		}
		for (ListenerSetup setup : additional) {
			if (setup.tls() != null && setup.listener().getUnixSocket() == null) {
				for (BoundListener listener : bound) {
					if (listener.name().equals(setup.name())) {
						return listener.port();
					}
				}
			}
		}
		return 443;
	}

	/** Binds listening sockets that all feed the same loops, dispatcher and limits. */
	private static final class Binder {

		private final HybridServerSettings settings;

		private final Transport transport;

		private final EventLoopGroup loops;

		private final ConnectionLimiter connections;

		private final HttpServerStats stats;

		private final Dispatcher dispatcher;

		private final ResponseQueues responseQueues;

		private final ProtocolNegotiation http2;

		private final Consumer<ProxyRejection> proxyRejections;

		private final Runnable detectionFailures;

		Binder(HybridServerSettings settings, Transport transport, EventLoopGroup loops, ConnectionLimiter connections,
				HttpServerStats stats, Dispatcher dispatcher, ResponseQueues responseQueues,
				ProtocolNegotiation http2) {
			this.settings = settings;
			this.transport = transport;
			this.loops = loops;
			this.connections = connections;
			this.stats = stats;
			this.dispatcher = dispatcher;
			this.responseQueues = responseQueues;
			this.http2 = http2;
			this.proxyRejections = (reason) -> stats.rejected(switch (reason) {
				case MALFORMED -> Rejection.PROXY_PROTOCOL;
				case UNTRUSTED -> Rejection.PROXY_UNTRUSTED;
				case TIMEOUT -> Rejection.PROXY_TIMEOUT;
			});
			this.detectionFailures = () -> stats.rejected(Rejection.PROTOCOL_DETECTION);
		}

		BoundListener bindTcp(String name, InetSocketAddress address, ServerTls tls, ProxyProtocolSettings proxy,
				ProtocolDetectionSettings detection, ExchangeDispatcher target) throws Exception {
			ServerBootstrap bootstrap = new ServerBootstrap().group(this.loops)
				.channel(this.transport.serverChannelType())
				.option(ChannelOption.SO_BACKLOG, this.settings.getAcceptBacklog())
				.option(ChannelOption.SO_REUSEADDR, true)
				.handler(this.connections)
				.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
				.childOption(ChannelOption.TCP_NODELAY, true)
				.childOption(ChannelOption.SO_KEEPALIVE, true);
			int acceptors = 1;
			if (this.settings.isReusePort()) {
				// One listening socket per loop: the kernel spreads new connections over them, so accepting is not
				// one loop's work.
				bootstrap.option(UnixChannelOption.SO_REUSEPORT, true);
				acceptors = this.settings.getIoThreads();
			}
			List<Channel> channels = new ArrayList<>();
			try {
				Channel first = bind(bootstrap, address, tls, proxy, detection, target);
				channels.add(first);
				// Port 0 chose a port: the other sockets join that one.
				InetSocketAddress chosen = new InetSocketAddress(address.getAddress(),
						((InetSocketAddress) first.localAddress()).getPort());
				for (int i = 1; i < acceptors; i++) {
					channels.add(bind(bootstrap, chosen, tls, proxy, detection, target));
				}
			}
			catch (Exception ex) {
				channels.forEach(Channel::close);
				if (PRIMARY.equals(name)) {
					throw ex;
				}
				throw new ListenerBindException(name, "port " + address.getPort(), address.getPort(), ex);
			}
			if (proxy.enabled() && proxy.trustedSources().isEmpty()) {
				// A Unix socket's peers pass its file permissions first; a TCP port's are whoever can reach it.
				int port = ((InetSocketAddress) channels.get(0).localAddress()).getPort();
				logger.warn("Listener '" + name + "' on port " + port + " reads the PROXY protocol from any peer: its "
						+ "proxy-protocol.trusted-sources is empty, so every client that can reach the port may send "
						+ "a header and choose the client address (and, with PP2_CLIENT_SSL, the https scheme) its "
						+ "requests report. Set trusted-sources to the proxies' addresses, unless only the proxy can "
						+ "reach this port.");
			}
			String description = describe(tls, proxy, detection, target) + ((acceptors > 1) ? ", " + acceptors
					+ " acceptors by SO_REUSEPORT" : "");
			return new BoundListener(name, channels, null, description);
		}

		BoundListener bindUnix(ListenerSetup setup, ExchangeDispatcher target) throws Exception {
			HybridListener listener = setup.listener();
			UnixSocketFile file = new UnixSocketFile(listener.getUnixSocket(), listener.getUnixSocketPermissions());
			try {
				file.prepare();
			}
			catch (IllegalStateException ex) {
				throw new ListenerBindException(setup.name(), "unix socket " + file.path(), -1, ex);
			}
			ServerBootstrap bootstrap = new ServerBootstrap().group(this.loops)
				.channel(this.transport.domainServerChannelType())
				.option(ChannelOption.SO_BACKLOG, this.settings.getAcceptBacklog())
				.handler(this.connections);
			if (this.transport.kind() != TransportKind.NIO) {
				// The JDK's Unix socket channel cannot half-close: on NIO a client's half-close ends the connection.
				bootstrap.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
			}
			Channel channel;
			try {
				channel = bind(bootstrap, this.transport.unixSocketAddress(file.path()), setup.tls(),
						listener.getProxyProtocol(), listener.getProtocolDetection(), target);
			}
			catch (Exception ex) {
				throw new ListenerBindException(setup.name(), "unix socket " + file.path(), -1, ex);
			}
			try {
				file.bound();
			}
			catch (RuntimeException ex) {
				channel.close().syncUninterruptibly();
				file.remove();
				throw ex;
			}
			return new BoundListener(setup.name(), List.of(channel), file,
					describe(setup.tls(), listener.getProxyProtocol(), listener.getProtocolDetection(), target));
		}

		private Channel bind(ServerBootstrap bootstrap, SocketAddress address, ServerTls tls,
				ProxyProtocolSettings proxy, ProtocolDetectionSettings detection, ExchangeDispatcher target)
				throws Exception {
			ProtocolNegotiation negotiation = (target == this.dispatcher) ? this.http2 : null;
			ChannelHandler protocol = new Http1PipelineInitializer(this.settings.getHttp(), this.stats, target,
					this.responseQueues, tls, negotiation);
			// Validation made sure that a detecting listener is TLS: clear text is the other choice.
			ChannelHandler clear = detection.enabled() ? new Http1PipelineInitializer(this.settings.getHttp(),
					this.stats, target, this.responseQueues, null, negotiation) : null;
			bootstrap.childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
				.childOption(ChannelOption.AUTO_READ, false)
				// One socket read per read() request keeps each read's decoded requests few and bounded.
				.childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1))
				.childHandler(new ListenerChannelInitializer(proxy, this.connections, this.proxyRejections, protocol,
						detection, clear, this.detectionFailures));
			Channel channel = bootstrap.register().syncUninterruptibly().channel();
			if (proxy.enabled()) {
				ConnectionLimiter.boundAddressesAfterProxyHeader(channel);
			}
			try {
				channel.bind(address).syncUninterruptibly();
			}
			catch (Exception ex) {
				channel.close();
				throw ex;
			}
			return channel;
		}

		private String describe(ServerTls tls, ProxyProtocolSettings proxy, ProtocolDetectionSettings detection,
				ExchangeDispatcher target) {
			String what = (target != this.dispatcher) ? "http, redirects to https"
					: (tls != null) ? "https, TLS by " + tls.engine().description() : "http";
			boolean http2 = target == this.dispatcher && this.http2 != null;
			if (http2) {
				what += (tls != null) ? ", HTTP/2 by ALPN" : ", HTTP/2 by prior knowledge";
			}
			if (detection.enabled()) {
				what += "; and http on the same port by protocol detection"
						+ (http2 ? ", HTTP/2 by prior knowledge" : "");
			}
			if (proxy.enabled()) {
				what += ", PROXY protocol " + proxy.mode().name().toLowerCase()
						+ (proxy.trustedSources().isEmpty() ? " from any source" : " from " + proxy.trustedSources());
			}
			return what;
		}

	}

	private static Dispatcher newDispatcher(HybridServerSettings settings, ExchangeHandler handler,
			DispatchObserver observer) {
		int capacity = settings.getRequestQueueCapacity();
		if (settings.isHandlersOnEventLoop()) {
			return Dispatcher.eventLoop(capacity, handler, observer);
		}
		if (settings.isVirtualThreads()) {
			return Dispatcher.virtualThreads(capacity, handler, observer);
		}
		return Dispatcher.platformThreads(settings.getWorkers(), settings.getMinSpareWorkers(),
				settings.getWorkerIdleTimeout(), capacity, handler, observer);
	}

	/** The primary port (Boot's {@code WebServer.getPort()}). */
	int port() {
		return this.listeners.get(0).port();
	}

	/** Every listener, the primary first. */
	List<BoundListener> listeners() {
		return this.listeners;
	}

	Transport transport() {
		return this.transport;
	}

	Dispatcher dispatcher() {
		return this.dispatcher;
	}

	EventLoopGroup loops() {
		return this.loops;
	}

	ResponseQueues responseQueues() {
		return this.responseQueues;
	}

	ConnectionLimiter connections() {
		return this.connections;
	}

	/** The QUIC listener's UDP port, or -1 when HTTP/3 is off. */
	int http3Port() {
		return (this.http3 != null) ? this.http3.port() : -1;
	}

	/** The QUIC listener, or {@code null} when HTTP/3 is off. */
	Http3Listener http3() {
		return this.http3;
	}

	/**
	 * Stops accepting connections on every TCP listener; open ones carry on. The QUIC listener's socket stays open
	 * (its connections share it) and stops advertising itself; its connections get GOAWAY with the others.
	 */
	void stopAccepting() {
		this.http.setAltSvc(null);
		this.listeners.forEach(BoundListener::close);
	}

	/** Asks every open connection to close once it has answered what it owes. */
	void closeConnectionsGracefully() {
		for (Channel channel : this.connections.connections()) {
			Http1PipelineInitializer.closeGracefully(channel);
		}
		if (this.http3 != null) {
			this.http3.closeConnectionsGracefully();
		}
	}

	/** Whether requests are still being processed or connections are still finishing their responses. */
	boolean isBusy() {
		return this.stats.exchangesInFlight() > 0 || !this.connections.connections().isEmpty()
				|| (this.http3 != null && this.http3.hasConnections());
	}

	/** Stops everything, giving running exchanges up to {@code timeoutMillis}. */
	void stop(long timeoutMillis) {
		this.http.setAltSvc(null);
		this.listeners.forEach(BoundListener::close);
		if (this.http3 != null) {
			this.http3.closeConnections(timeoutMillis);
			this.http3.close();
		}
		this.dispatcher.stop(timeoutMillis);
		// As Tomcat does, WebSocket sessions still open hear 1001 (going away) before their connection drops.
		for (Channel channel : this.connections.connections()) {
			Http1PipelineInitializer.announceClose(channel);
		}
		this.connections.connections().close().awaitUninterruptibly(timeoutMillis);
		this.loops.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS).syncUninterruptibly();
	}

}
