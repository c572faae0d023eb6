package io.hybridserver.autoconfigure;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import io.hybridserver.boot.HybridReactiveWebServerFactory;

/**
 * Actuator on its own port ({@code management.server.port}): Boot then starts a child context for the management
 * endpoints and asks a {@link ManagementContextFactory} which web server factory it gets. This one gives it the
 * hybrid server's auto-configuration, so the management port is served by a second hybrid server. {@link Primary}
 * because Reactor Netty's equivalent is also present when Reactor Netty stays on the classpath, and the hybrid server
 * is the one serving the application.
 */
@AutoConfiguration(after = HybridReactiveWebServerAutoConfiguration.class)
@ConditionalOnClass({ ManagementContextFactory.class, HybridReactiveWebServerFactory.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
public final class HybridReactiveManagementContextAutoConfiguration {

	@Bean
	@Primary
	static ManagementContextFactory hybridReactiveWebChildContextFactory() {
		return new ManagementContextFactory(WebApplicationType.REACTIVE, ReactiveWebServerFactory.class,
				HybridReactiveWebServerAutoConfiguration.class);
	}

}
