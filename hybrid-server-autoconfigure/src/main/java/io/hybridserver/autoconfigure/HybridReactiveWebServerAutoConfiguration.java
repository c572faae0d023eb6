package io.hybridserver.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerConfiguration;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import reactor.core.publisher.Mono;

import io.hybridserver.boot.HybridReactiveWebServerFactory;
import io.hybridserver.boot.HybridServerCustomizer;

/**
 * Makes the hybrid server the reactive web server of WebFlux applications. Ordered before Reactor Netty's, Tomcat's and
 * Jetty's reactive auto-configurations, whose factories back off once ours exists, so adding the starter is enough even
 * with Reactor Netty still on the classpath (it stays there as WebFlux's HTTP client). A
 * {@link ReactiveWebServerFactory} bean of the application's own wins over all of them.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
		"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
		"org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration" })
@ConditionalOnClass({ HttpHandler.class, Mono.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@EnableConfigurationProperties(HybridServerProperties.class)
@Import(ReactiveWebServerConfiguration.class)
public final class HybridReactiveWebServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(ReactiveWebServerFactory.class)
	HybridReactiveWebServerFactory hybridReactiveWebServerFactory(ObjectProvider<HybridServerCustomizer> customizers) {
		HybridReactiveWebServerFactory factory = new HybridReactiveWebServerFactory();
		customizers.orderedStream().forEach(factory::addServerCustomizers);
		return factory;
	}

	@Bean
	HybridServerFactoryCustomizer hybridServerFactoryCustomizer(HybridServerProperties properties,
			ServerProperties serverProperties, Environment environment) {
		return new HybridServerFactoryCustomizer(properties, serverProperties, environment);
	}

	@Bean
	WebServerFactoryCustomizer<HybridReactiveWebServerFactory> hybridReactiveDispatchCustomizer(
			HybridServerProperties properties) {
		return (factory) -> {
			factory.setDispatchMode(properties.getReactive().getDispatch());
			factory.setWebSocketDispatchMode(properties.getReactive().getWebsocketDispatch());
			HybridServerFactoryCustomizer.apply("websocket",
					() -> factory.setWebSocketSettings(HybridServletWebServerFactoryCustomizer.webSocket(properties)));
		};
	}

	/** WebFlux WebSocket upgrades through the hybrid server, with nothing to configure. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebSocketHandlerAdapter.class)
	static class WebFluxWebSocketConfiguration {

		@Bean
		static HybridWebSocketServicePostProcessor hybridWebSocketServicePostProcessor() {
			return new HybridWebSocketServicePostProcessor();
		}

	}

}
