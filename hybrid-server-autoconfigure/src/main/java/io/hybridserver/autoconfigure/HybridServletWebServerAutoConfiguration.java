package io.hybridserver.autoconfigure;

import jakarta.servlet.ServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.servlet.ServletWebServerConfiguration;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.hybridserver.boot.HybridServerCustomizer;
import io.hybridserver.boot.HybridServletWebServerFactory;
import io.hybridserver.servlet.ServletContainer;

/**
 * Makes the hybrid server the servlet web server. Ordered before Tomcat's and Jetty's auto-configurations, whose
 * factories back off once ours exists, so adding the starter is enough even with Tomcat still on the classpath. A
 * {@link ServletWebServerFactory} bean of the application's own wins over all of them.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration",
		"org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration" })
@ConditionalOnClass({ ServletRequest.class, ServletContainer.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@EnableConfigurationProperties(HybridServerProperties.class)
@Import(ServletWebServerConfiguration.class)
public final class HybridServletWebServerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(value = ServletWebServerFactory.class, search = SearchStrategy.CURRENT)
	HybridServletWebServerFactory hybridServletWebServerFactory(ObjectProvider<HybridServerCustomizer> customizers) {
		HybridServletWebServerFactory factory = new HybridServletWebServerFactory();
		customizers.orderedStream().forEach(factory::addServerCustomizers);
		return factory;
	}

	@Bean
	HybridServerFactoryCustomizer hybridServerFactoryCustomizer(HybridServerProperties properties,
			ServerProperties serverProperties, Environment environment) {
		return new HybridServerFactoryCustomizer(properties, serverProperties, environment);
	}

	@Bean
	HybridServletWebServerFactoryCustomizer hybridServletWebServerFactoryCustomizer(HybridServerProperties properties,
			ServerProperties serverProperties, Environment environment) {
		return new HybridServletWebServerFactoryCustomizer(properties, serverProperties, environment);
	}

}
