package io.hybridserver.boot;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.dispatch.ResponseQueues;
import io.hybridserver.http.Http1PipelineInitializer;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.ProtocolNegotiation;
import io.hybridserver.http.h2.Http2Negotiation;
import io.hybridserver.tls.ServerTls;
import io.hybridserver.transport.ConnectionLimiter;
import io.hybridserver.transport.Transport;

/**
 * The engine while it runs: event loops, the listening socket, the dispatcher and the response queues. Made by each
 * {@link HybridWebServer#start()}, so that a stopped server can start again with fresh loops.
 */
final class RunningServer {

	private final Transport transport;

	private final EventLoopGroup loops;

	private final Dispatcher dispatcher;

	private final ResponseQueues responseQueues;

	private final ConnectionLimiter connections;

	private final HttpServerStats stats;

	private final Channel listener;

	private RunningServer(Transport transport, EventLoopGroup loops, Dispatcher dispatcher,
			ResponseQueues responseQueues, ConnectionLimiter connections, HttpServerStats stats, Channel listener) {
		this.transport = transport;
		this.loops = loops;
		this.dispatcher = dispatcher;
		this.responseQueues = responseQueues;
		this.connections = connections;
		this.stats = stats;
		this.listener = listener;
	}

	/**
	 * Builds and binds the engine.
	 * @param tls the port's TLS, or {@code null} for plaintext
	 * @throws BindException if the address is in use
	 */
	static RunningServer start(HybridServerSettings settings, InetSocketAddress address, ExchangeHandler handler,
			HttpServerStats stats, DispatchObserver observer, ServerTls tls) throws Exception {
		Transport transport = Transport.select(settings.getTransport());
		Dispatcher dispatcher = newDispatcher(settings, handler, observer);
		EventLoopGroup loops = transport.newEventLoopGroup(settings.getIoThreads(),
				new DefaultThreadFactory("hybrid-io", true));
		try {
			ResponseQueues responseQueues = new ResponseQueues(settings.getResponseQueueCapacity());
			ConnectionLimiter connections = new ConnectionLimiter(settings.getMaxConnections(),
					settings.getMaxConnectionsPerAddress());
			ProtocolNegotiation http2 = settings.getHttp2().isEnabled() ? new Http2Negotiation(settings.getHttp(),
					settings.getHttp2(), stats, dispatcher, responseQueues) : null;
			ServerBootstrap bootstrap = new ServerBootstrap().group(loops)
				.channel(transport.serverChannelType())
				.option(ChannelOption.SO_BACKLOG, settings.getAcceptBacklog())
				.option(ChannelOption.SO_REUSEADDR, true)
				.handler(connections)
				.childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
				.childOption(ChannelOption.AUTO_READ, false)
				.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
				.childOption(ChannelOption.TCP_NODELAY, true)
				.childOption(ChannelOption.SO_KEEPALIVE, true)
				// One socket read per read() request keeps each read's decoded requests few and bounded.
				.childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(1))
				.childHandler(new Http1PipelineInitializer(settings.getHttp(), stats, dispatcher, responseQueues, tls,
						http2));
			Channel listener = bootstrap.bind(address).syncUninterruptibly().channel();
			return new RunningServer(transport, loops, dispatcher, responseQueues, connections, stats, listener);
		}
		catch (Exception ex) {
			dispatcher.stop(0);
			loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
			throw ex;
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
		return Dispatcher.platformThreads(settings.getWorkers(), capacity, handler, observer);
	}

	int port() {
		return ((InetSocketAddress) this.listener.localAddress()).getPort();
	}

	Transport transport() {
		return this.transport;
	}

	Dispatcher dispatcher() {
		return this.dispatcher;
	}

	ResponseQueues responseQueues() {
		return this.responseQueues;
	}

	ConnectionLimiter connections() {
		return this.connections;
	}

	/** Stops accepting connections; open ones carry on. */
	void stopAccepting() {
		this.listener.close().syncUninterruptibly();
	}

	/** Asks every open connection to close once it has answered what it owes. */
	void closeConnectionsGracefully() {
		for (Channel channel : this.connections.connections()) {
			Http1PipelineInitializer.closeGracefully(channel);
		}
	}

	/** Whether requests are still being processed or connections are still finishing their responses. */
	boolean isBusy() {
		return this.stats.exchangesInFlight() > 0 || !this.connections.connections().isEmpty();
	}

	/** Stops everything, giving running exchanges up to {@code timeoutMillis}. */
	void stop(long timeoutMillis) {
		if (this.listener.isOpen()) {
			this.listener.close().syncUninterruptibly();
		}
		this.dispatcher.stop(timeoutMillis);
		this.connections.connections().close().awaitUninterruptibly(timeoutMillis);
		this.loops.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS).syncUninterruptibly();
	}

}
