package io.hybridserver.apps.websocket;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;

/** STOMP over WebSocket with Spring's simple broker, as the Spring guide sets it up. */
@SpringBootApplication
public class StompTestApplication {

	@Configuration
	@EnableWebSocketMessageBroker
	static class Broker implements WebSocketMessageBrokerConfigurer {

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			registry.addEndpoint("/stomp");
		}

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.enableSimpleBroker("/topic");
			registry.setApplicationDestinationPrefixes("/app");
		}

	}

	@Controller
	static class Greeter {

		@MessageMapping("/hello")
		@SendTo("/topic/greetings")
		String greet(String name) {
			return "Hello, " + name + "!";
		}

	}

}
