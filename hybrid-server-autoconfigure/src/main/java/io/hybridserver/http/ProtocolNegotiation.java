package io.hybridserver.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * What may take a new connection away from HTTP/1.1 before its first request: HTTP/2 by prior knowledge on a clear-text
 * port, or by ALPN on a TLS port. Implemented by the protocol packages (see {@code io.hybridserver.http.h2}), so that
 * the HTTP/1.1 pipeline stays the default and knows nothing of the others.
 */
@FunctionalInterface
public interface ProtocolNegotiation {

	/**
	 * Adds the handlers that watch for another protocol at the end of a new connection's pipeline: after TLS, before
	 * the HTTP/1.1 handlers, which they replace when the other protocol is chosen.
	 * @param channel the new connection, not yet active
	 * @param secure whether TLS handlers are in front (the choice is ALPN's) or not (the first bytes decide)
	 */
	void install(Channel channel, boolean secure);

	/**
	 * Offered a clear-text HTTP/1.1 request that asks to change protocols ({@code Upgrade: h2c}, RFC 7540 3.2): takes
	 * the connection over (answering {@code 101} and serving the request in the new protocol) and returns
	 * {@code true}, or returns {@code false} and the request is served as HTTP/1.1. Called on the connection's loop,
	 * only for a request with no body and nothing else in flight on the connection.
	 * @param http1 the HTTP/1.1 connection handler's context
	 * @param request the request head, still owned by the caller
	 */
	default boolean upgrade(ChannelHandlerContext http1, HttpRequest request) {
		return false;
	}

	/** The names of the HTTP/1.1 handlers that a protocol switch removes, in pipeline order. */
	String[] HTTP1_HANDLERS = { "head-timer", "decoder", "http1" };

}
