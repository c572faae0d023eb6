package io.hybridserver.bench.mvc;

import org.apache.tomcat.websocket.server.WsContextListener;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat's WebSocket container for scenario 10. Spring Boot installs it through {@code spring-boot-websocket}, which is
 * not published for the Boot version we build against, so this does what that module does on Tomcat: registers
 * {@link WsContextListener}, which puts the {@code ServerContainer} in the servlet context for Spring's upgrade
 * strategy.
 */
@Configuration(proxyBeanMethods = false)
class TomcatWebSocketConfiguration {

	@Bean
	TomcatContextCustomizer webSocketContainer() {
		return (context) -> context.addApplicationListener(WsContextListener.class.getName());
	}

}
