package io.hybridserver.reactive.websocket;

import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import io.hybridserver.websocket.PerMessageDeflate;
import io.hybridserver.websocket.WebSocketHandshake;
import io.hybridserver.websocket.WebSocketUpgrade;

/**
 * WebFlux's {@link RequestUpgradeStrategy} for the hybrid server: finishes the opening handshake (RFC 6455, 4.2.2) that
 * Spring's {@code HandshakeWebSocketService} began (it has checked the method, {@code Upgrade}, {@code Connection} and
 * the key's presence, and chosen the subprotocol), and switches the connection to the server's own WebSocket
 * connection. Refusals are answered as on the servlet side: 400 for a malformed key or a request that cannot switch
 * (HTTP/2), 426 with {@code Sec-WebSocket-Version: 13} for another version, 503 with {@code Retry-After} past
 * {@code server.hybrid.websocket.max-sessions}. Per-message deflate (RFC 7692) is accepted when the client offers it,
 * unless {@link #setCompression(boolean) turned off}.
 *
 * <p>A request served by another server (a management port on Reactor Netty, a mock exchange in a test) goes to the
 * fallback strategy, the one Spring would have chosen.
 */
public final class HybridRequestUpgradeStrategy implements RequestUpgradeStrategy {

	private static final Log logger = LogFactory.getLog(HybridRequestUpgradeStrategy.class);

	private final RequestUpgradeStrategy fallback;

	private volatile boolean compression = true;

	/** A strategy for the hybrid server alone. */
	public HybridRequestUpgradeStrategy() {
		this(null);
	}

	/**
	 * @param fallback what upgrades requests that another server serves, or {@code null} to refuse them
	 */
	public HybridRequestUpgradeStrategy(RequestUpgradeStrategy fallback) {
		this.fallback = fallback;
	}

	/** Whether per-message deflate is accepted when a client offers it (true by default, as on Tomcat). */
	public void setCompression(boolean compression) {
		this.compression = compression;
	}

	/** The strategy used for requests the hybrid server does not serve, if any. */
	public RequestUpgradeStrategy getFallback() {
		return this.fallback;
	}

	@Override
	public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
			Supplier<HandshakeInfo> handshakeInfoFactory) {
		ServerHttpResponse response = exchange.getResponse();
		ProtocolSwitch target = protocolSwitch(response);
		if (target == null) {
			if (this.fallback != null) {
				return this.fallback.upgrade(exchange, handler, subProtocol, handshakeInfoFactory);
			}
			return Mono.error(new IllegalStateException("This request is not served by the hybrid server"));
		}
		HttpHeaders request = exchange.getRequest().getHeaders();
		String key = request.getFirst("Sec-WebSocket-Key");
		if (!WebSocketHandshake.isValidKey(key)) {
			return refuse(response, HttpStatus.BAD_REQUEST, "Malformed Sec-WebSocket-Key");
		}
		if (!WebSocketHandshake.VERSION.equals(request.getFirst("Sec-WebSocket-Version"))) {
			response.getHeaders().set("Sec-WebSocket-Version", WebSocketHandshake.VERSION);
			return refuse(response, HttpStatus.UPGRADE_REQUIRED, "Unsupported WebSocket version");
		}
		if (!target.canSwitchProtocols()) {
			return refuse(response, HttpStatus.BAD_REQUEST, "WebSocket upgrades need HTTP/1.1");
		}
		ReactiveWebSocketSessions sessions = target.webSockets();
		if (!sessions.reserve()) {
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
			return refuse(response, HttpStatus.SERVICE_UNAVAILABLE, "Too many WebSocket sessions");
		}
		try {
			PerMessageDeflate deflate = null;
			List<String> offers = request.get("Sec-WebSocket-Extensions");
			if (this.compression && offers != null && !offers.isEmpty()) {
				deflate = PerMessageDeflate.negotiate(String.join(",", offers),
						(int) Math.min(Integer.MAX_VALUE, sessions.settings().maxMessageSize()));
			}
			HttpHeaders headers = response.getHeaders();
			headers.set(HttpHeaders.UPGRADE, "websocket");
			headers.set(HttpHeaders.CONNECTION, "upgrade");
			headers.set("Sec-WebSocket-Accept", WebSocketHandshake.accept(key));
			if (subProtocol != null && !subProtocol.isEmpty()) {
				headers.set("Sec-WebSocket-Protocol", subProtocol);
			}
			if (deflate != null) {
				headers.set("Sec-WebSocket-Extensions", deflate.responseHeader());
			}
			SessionListener listener = new SessionListener(handler, handshakeInfoFactory.get(),
					response.bufferFactory(), sessions);
			WebSocketUpgrade upgrade = sessions.newUpgrade(listener).withDeflate(deflate);
			// Until the switch is installed, anything that ends the upgrade gives the slot back (once).
			return target.switchProtocols(upgrade)
				.doOnError((ex) -> upgrade.abandon())
				.doOnCancel(upgrade::abandon);
		}
		catch (RuntimeException ex) {
			sessions.release();
			return Mono.error(ex);
		}
	}

	private static Mono<Void> refuse(ServerHttpResponse response, HttpStatus status, String why) {
		if (logger.isDebugEnabled()) {
			logger.debug("WebSocket handshake refused with " + status.value() + ": " + why);
		}
		response.setStatusCode(status);
		return response.setComplete();
	}

	/** Our response under whatever decorators were put around it, or null when another server serves the request. */
	private static ProtocolSwitch protocolSwitch(ServerHttpResponse response) {
		ServerHttpResponse current = response;
		while (current instanceof ServerHttpResponseDecorator decorator) {
			current = decorator.getDelegate();
		}
		return (current instanceof ProtocolSwitch target) ? target : null;
	}

}
