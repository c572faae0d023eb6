package io.hybridserver.http.h2;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Settings;

import io.hybridserver.http.ExchangeDispatcher;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.LoopDispatch;
import io.hybridserver.http.ProtocolNegotiation;
import io.hybridserver.http.ResponseRoute;

/**
 * Lets a new connection become HTTP/2: on a clear-text port when its first 24 bytes are the HTTP/2 connection preface
 * (prior knowledge, RFC 9113 3.3), on a TLS port when ALPN chose {@code h2} (RFC 9113 3.2). Either way the HTTP/1.1
 * handlers leave the pipeline before they have seen a byte, and an {@link H2Connection} takes their place.
 *
 * <p>On a clear-text port a third way: {@code Upgrade: h2c} (RFC 7540 3.2, dropped by RFC 9113 but still used by
 * curl's {@code --http2} and supported by Tomcat), see {@link H2cUpgrade}.
 */
public final class Http2Negotiation implements ProtocolNegotiation {

	private final HttpServerConfig config;

	private final Http2Config http2;

	private final HttpServerStats stats;

	private final LoopDispatch.PerLoop dispatchers;

	private final ResponseRoute route;

	public Http2Negotiation(HttpServerConfig config, Http2Config http2, HttpServerStats stats,
			ExchangeDispatcher dispatcher, ResponseRoute route) {
		String problem = http2.problem();
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		this.config = config;
		this.http2 = http2;
		this.stats = stats;
		this.dispatchers = new LoopDispatch.PerLoop(dispatcher);
		this.route = route;
	}

	@Override
	public void install(Channel channel, boolean secure) {
		channel.pipeline().addLast(secure ? "h2-alpn" : "h2-preface",
				secure ? new AlpnSwitch(this) : new PrefaceDetector(this));
	}

	@Override
	public boolean upgrade(ChannelHandlerContext http1, HttpRequest request) {
		Http2Settings clientSettings = H2cUpgrade.clientSettings(request);
		if (clientSettings == null) {
			return false;
		}
		H2cUpgrade.switchProtocols(http1, request, clientSettings, newConnection(false));
		return true;
	}

	/**
	 * Replaces the HTTP/1.1 handlers behind {@code ctx} with an HTTP/2 connection, and {@code ctx}'s own handler with
	 * nothing. Runs on the connection's loop before any byte reached the HTTP/1.1 handlers.
	 */
	void switchToHttp2(ChannelHandlerContext ctx, boolean secure) {
		ChannelPipeline pipeline = ctx.pipeline();
		for (String name : HTTP1_HANDLERS) {
			if (pipeline.context(name) != null) {
				pipeline.remove(name);
			}
		}
		pipeline.addAfter(ctx.name(), "h2", newConnection(secure));
		pipeline.remove(ctx.handler());
	}

	private H2Connection newConnection(boolean secure) {
		Http2Settings settings = new Http2Settings().maxConcurrentStreams(this.http2.getMaxConcurrentStreams())
			.initialWindowSize(this.http2.getInitialWindowSize())
			.maxFrameSize(this.http2.getMaxFrameSize())
			.maxHeaderListSize(this.http2.getMaxHeaderListSize());
		return new H2ConnectionBuilder(settings, this.http2, this.config, this.stats, this.dispatchers, this.route, secure).build();
	}

}
