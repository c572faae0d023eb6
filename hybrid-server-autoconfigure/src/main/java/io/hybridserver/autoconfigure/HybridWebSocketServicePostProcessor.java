package io.hybridserver.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

import io.hybridserver.reactive.websocket.HybridRequestUpgradeStrategy;

/**
 * Gives every WebFlux {@link WebSocketHandlerAdapter} the hybrid server's upgrade strategy, so that WebFlux WebSocket
 * works without configuration. Spring's {@link HandshakeWebSocketService} chooses its strategy by the servers on the
 * class path (Jetty, then Reactor Netty, which {@code spring-boot-starter-webflux} always brings, then the servlet
 * standard one), and none of those can upgrade a hybrid server's exchange.
 *
 * <p>An adapter whose service is a {@code HandshakeWebSocketService} with one of Spring's own strategies (the one
 * WebFlux's configuration declares, or a {@code new WebSocketHandlerAdapter()} of the application's), or WebFlux's
 * placeholder service for "no strategy found", is replaced by one with the same order whose service upgrades through
 * {@link HybridRequestUpgradeStrategy}, keeping Spring's strategy for requests another server serves and the session
 * attribute predicate. A service or strategy of the application's own is left alone.
 */
final class HybridWebSocketServicePostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(HybridWebSocketServicePostProcessor.class);

	private static final String SPRING_STRATEGIES = "org.springframework.web.reactive.socket.server.upgrade.";

	private static final String NO_STRATEGY_SERVICE =
			"org.springframework.web.reactive.config.WebFluxConfigurationSupport$NoUpgradeStrategyWebSocketService";

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof WebSocketHandlerAdapter adapter)) {
			return bean;
		}
		WebSocketService service = adapter.getWebSocketService();
		HandshakeWebSocketService replacement;
		if (service instanceof HandshakeWebSocketService handshake
				&& handshake.getUpgradeStrategy().getClass().getName().startsWith(SPRING_STRATEGIES)) {
			RequestUpgradeStrategy spring = handshake.getUpgradeStrategy();
			replacement = new HandshakeWebSocketService(new HybridRequestUpgradeStrategy(spring));
			replacement.setSessionAttributePredicate(handshake.getSessionAttributePredicate());
		}
		else if (service.getClass().getName().equals(NO_STRATEGY_SERVICE)) {
			replacement = new HandshakeWebSocketService(new HybridRequestUpgradeStrategy());
		}
		else {
			return bean;
		}
		WebSocketHandlerAdapter hybrid = new WebSocketHandlerAdapter(replacement);
		hybrid.setOrder(adapter.getOrder());
		if (logger.isDebugEnabled()) {
			logger.debug("WebSocketHandlerAdapter '" + beanName + "' upgrades through the hybrid server");
		}
		return hybrid;
	}

}
