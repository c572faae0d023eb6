package io.hybridserver.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import io.hybridserver.boot.HybridWebServer;

/**
 * The {@code hybridServer} health contributor, when Spring Boot's health support is on the class path (Actuator's
 * starter brings it); {@code management.health.hybridserver.enabled=false} removes it, as for Boot's own contributors.
 */
@AutoConfiguration
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class, HybridWebServer.class })
@ConditionalOnWebApplication
@ConditionalOnEnabledHealthIndicator("hybridserver")
public final class HybridServerHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "hybridServerHealthIndicator")
	HybridServerHealthIndicator hybridServerHealthIndicator(ApplicationContext context) {
		return new HybridServerHealthIndicator(context);
	}

}
