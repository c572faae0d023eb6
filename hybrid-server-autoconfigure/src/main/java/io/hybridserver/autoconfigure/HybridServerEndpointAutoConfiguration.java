package io.hybridserver.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import io.hybridserver.boot.HybridWebServer;

/**
 * The {@code hybridserver} Actuator endpoint, when Actuator is on the class path and the endpoint is available
 * (enabled and exposed, by the usual {@code management.endpoint(s).*} rules).
 */
@AutoConfiguration
@ConditionalOnClass({ Endpoint.class, HybridWebServer.class })
@ConditionalOnWebApplication
@ConditionalOnAvailableEndpoint(HybridServerEndpoint.class)
public final class HybridServerEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HybridServerEndpoint hybridServerEndpoint(ApplicationContext context) {
		return new HybridServerEndpoint(context);
	}

}
