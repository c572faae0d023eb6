package io.hybridserver.reactive.websocket;

import reactor.core.publisher.Mono;

import io.hybridserver.http.ConnectionUpgrade;

/**
 * What the reactive adapter's response offers an upgrade strategy: whether its exchange can switch protocols, the
 * server's WebSocket sessions, and the switch itself. Implemented by the adapter's {@code ServerHttpResponse}, so a
 * strategy finds it under any decorators WebFlux or filters put around the response.
 */
public interface ProtocolSwitch {

	/** The WebSocket sessions of the server this response belongs to. */
	ReactiveWebSocketSessions webSockets();

	/**
	 * Whether the exchange can switch to another protocol: an HTTP/1.1 request that asked for an upgrade, not yet
	 * answered. HTTP/2 streams cannot (RFC 8441's extended CONNECT is not supported).
	 */
	boolean canSwitchProtocols();

	/**
	 * Commits the response as {@code 101 Switching Protocols} the way WebFlux commits any response (its before-commit
	 * actions run, cookies become headers), with the headers set on the response so far, then hands the connection to
	 * {@code upgrade} on its event loop. The returned {@code Mono} completes once the switch is handed over.
	 */
	Mono<Void> switchProtocols(ConnectionUpgrade upgrade);

}
