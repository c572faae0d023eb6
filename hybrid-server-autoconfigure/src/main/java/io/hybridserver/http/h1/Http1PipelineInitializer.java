package io.hybridserver.http.h1;

import io.hybridserver.http.ExchangeDispatcher;
import io.hybridserver.http.GracefulClose;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.ProtocolNegotiation;
import io.hybridserver.http.ResponseRoute;
import io.hybridserver.http.TrafficCounter;
import io.hybridserver.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;

/**
 * Assembles an HTTP/1.1 connection's pipeline, in the order bytes travel:
 * <ol>
 * <li>{@code traffic}: counts wire bytes both ways;</li>
 * <li>on a TLS port, the handlers {@link ServerTls} installs: the plain-HTTP guard, the TLS handler (SNI-aware when
 * server names are configured) and the handshake observer;</li>
 * <li>when another protocol is enabled, the {@link ProtocolNegotiation}'s handler, which swaps the handlers below for
 * that protocol's when the connection's first bytes (or ALPN) choose it;</li>
 * <li>{@code head-timer}: notices a request head starting, for the 408 timeout;</li>
 * <li>{@code decoder}: strict RFC 9112 parsing with the line, header and chunk limits, by our own rules
 * ({@link Http1RequestDecoder}) whatever Netty release the application runs with;</li>
 * <li>{@code http1}: the connection state machine that makes and answers exchanges.</li>
 * </ol>
 */
public final class Http1PipelineInitializer extends ChannelInitializer<Channel> {

	private final HttpServerConfig config;

	private final HttpServerStats stats;

	private final LoopDispatch.PerLoop dispatchers;

	private final ResponseRoute route;

	private final TrafficCounter trafficCounter;

	private final ServerTls tls;

	private final ProtocolNegotiation negotiation;

	/**
	 * @param tls the port's TLS, or {@code null} for plaintext
	 */
	public Http1PipelineInitializer(HttpServerConfig config, HttpServerStats stats, ExchangeDispatcher dispatcher,
			ResponseRoute route, ServerTls tls) {
		this(config, stats, dispatcher, route, tls, null);
	}

	/**
	 * @param tls the port's TLS, or {@code null} for plaintext
	 * @param negotiation what may replace HTTP/1.1 on a new connection (HTTP/2), or {@code null} for HTTP/1.1 only
	 */
	public Http1PipelineInitializer(HttpServerConfig config, HttpServerStats stats, ExchangeDispatcher dispatcher,
			ResponseRoute route, ServerTls tls, ProtocolNegotiation negotiation) {
		this.negotiation = negotiation;
		this.config = config;
		this.tls = tls;
		this.stats = stats;
		this.dispatchers = new LoopDispatch.PerLoop(dispatcher);
		this.route = route;
		this.trafficCounter = new TrafficCounter(stats);
	}

	@Override
	protected void initChannel(Channel channel) {
		Http1Connection connection = new Http1Connection(this.config, this.stats, this.dispatchers, this.route,
				this.tls != null);
		ChannelPipeline pipeline = channel.pipeline();
		pipeline.addLast("traffic", this.trafficCounter);
		if (this.tls != null) {
			this.tls.install(channel);
		}
		if (this.negotiation != null) {
			this.negotiation.install(channel, this.tls != null);
			if (this.tls == null) {
				// Upgrade: h2c is for clear text only (RFC 7540 3.2); over TLS the header is ignored, as ALPN decides.
				connection.offerUpgrades(this.negotiation);
			}
		}
		pipeline.addLast("head-timer", connection.rawBytesObserver());
		pipeline.addLast("decoder", new Http1RequestDecoder(this.config));
		pipeline.addLast("http1", connection);
	}

	/**
	 * Asks the connection on this channel to close once the responses it owes are sent; idle connections close now.
	 * Safe from any thread.
	 */
	public static void closeGracefully(Channel channel) {
		channel.eventLoop().execute(() -> {
			Http1Connection connection = channel.pipeline().get(Http1Connection.class);
			if (connection != null) {
				connection.closeGracefully();
				return;
			}
			// A connection that switched protocols (WebSocket) may have a polite way to end.
			for (var entry : channel.pipeline()) {
				if (entry.getValue() instanceof GracefulClose other) {
					other.closeGracefully();
					return;
				}
			}
			channel.close();
		});
	}

	/**
	 * The server is about to close this channel without waiting (immediate shutdown): a connection that switched
	 * protocols gets to write its last word first (see {@link GracefulClose#closeNow()}). Queued on the channel's loop,
	 * so a close requested after this call from the same thread runs after it. Safe from any thread.
	 */
	public static void announceClose(Channel channel) {
		channel.eventLoop().execute(() -> {
			for (var entry : channel.pipeline()) {
				if (entry.getValue() instanceof GracefulClose other) {
					other.closeNow();
					return;
				}
			}
		});
	}

}
