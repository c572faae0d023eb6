package io.hybridserver.autoconfigure.webmvc;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.resource.ResourceUrlProvider;

import io.hybridserver.autoconfigure.HybridServerProperties;
import io.hybridserver.autoconfigure.HybridServletWebServerAutoConfiguration;
import io.hybridserver.boot.HybridServletWebServerFactory;

/**
 * Caches the answers of Spring MVC's resource chain to link lookups, found and not found, when the application runs
 * on the hybrid server and its resource chain caches ({@code server.hybrid.resource.cache-enabled}, on by default,
 * switches it with the servlet context's resource cache). See {@link ResourceChainAnswerCache} for why.
 */
@AutoConfiguration(after = HybridServletWebServerAutoConfiguration.class)
@ConditionalOnClass(ResourceUrlProvider.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBean(HybridServletWebServerFactory.class)
@ConditionalOnProperty(name = "server.hybrid.resource.cache-enabled", matchIfMissing = true)
public final class HybridWebMvcResourceChainAutoConfiguration {

	@Bean
	ResourceChainAnswerCacheInstaller hybridResourceChainAnswerCacheInstaller(ApplicationContext context,
			HybridServerProperties properties) {
		HybridServerProperties.Resource resource = properties.getResource();
		return new ResourceChainAnswerCacheInstaller(context, resource.getCacheTtl(), resource.getCacheMaxEntries());
	}

}
