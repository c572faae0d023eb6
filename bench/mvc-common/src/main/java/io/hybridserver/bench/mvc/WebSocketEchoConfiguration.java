package io.hybridserver.bench.mvc;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Scenario 10's WebSocket echo at {@code /ws/echo}: every text message straight back to its sender, through Spring's
 * {@code @EnableWebSocket} on the contender's Jakarta WebSocket container (the hybrid server's, or Tomcat's).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketEchoConfiguration implements WebSocketConfigurer {

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new EchoHandler(), "/ws/echo").setAllowedOrigins("*");
	}

	/** Sends from the session's own callback only, so no decorator is needed for concurrent sends. */
	private static final class EchoHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(message);
		}

	}

}
