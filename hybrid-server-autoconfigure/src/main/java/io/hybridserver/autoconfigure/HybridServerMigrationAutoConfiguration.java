package io.hybridserver.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

import io.hybridserver.boot.HybridWebServer;

/**
 * Help for applications moving from Tomcat, Jetty or Reactor Netty: the startup warning about their server's
 * properties, which the hybrid server does not read.
 */
@AutoConfiguration
@ConditionalOnClass(HybridWebServer.class)
@ConditionalOnWebApplication
public final class HybridServerMigrationAutoConfiguration {

	@Bean
	static ForeignServerPropertiesWarning hybridServerForeignPropertiesWarning() {
		return new ForeignServerPropertiesWarning();
	}

}
