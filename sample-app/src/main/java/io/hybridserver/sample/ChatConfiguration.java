package io.hybridserver.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

import tools.jackson.databind.json.JsonMapper;

/**
 * The chat behind {@code /chat.html}: Spring's {@code @EnableWebSocket} with one {@link ChatHandler} at
 * {@value #PATH}, served by the hybrid server's Jakarta WebSocket container exactly as it would be by Tomcat's.
 * Servlet mode only: the reactive profile has no servlet WebSocket container to serve it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableWebSocket
class ChatConfiguration implements WebSocketConfigurer {

	static final String PATH = "/chat/ws";

	private final ChatHandler handler;

	ChatConfiguration(JsonMapper json) {
		this.handler = new ChatHandler(json);
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		// Same origin only (Spring's default): a page elsewhere cannot talk in this chat with a visitor's cookies.
		registry.addHandler(this.handler, PATH);
	}

}
