package io.hybridserver.bench.webflux;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;

/**
 * Scenario 10's WebSocket echo at {@code /ws/echo} in WebFlux: every text message back to its sender, through the
 * {@code WebSocketService} WebFlux picks for the server (Reactor Netty's upgrade strategy on Reactor Netty). On a
 * server without WebFlux WebSocket support the handshake fails, and the harness records that.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketEchoConfiguration {

	@Bean
	HandlerMapping webSocketEchoMapping() {
		WebSocketHandler echo = (session) -> session
			.send(session.receive().map((message) -> session.textMessage(message.getPayloadAsText())));
		// Before the annotated controllers' mapping, as WebFlux's reference documentation registers WebSocket paths.
		return new SimpleUrlHandlerMapping(Map.of("/ws/echo", echo), -1);
	}

}
