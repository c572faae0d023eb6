package io.hybridserver.autoconfigure.webmvc;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.resource.CachingResourceResolver;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;
import org.springframework.web.servlet.resource.ResourceResolver;

import io.hybridserver.servlet.resource.ResourceCache;

/**
 * Puts a {@link ResourceChainAnswerCache} in front of the resolvers of every resource handler whose chain caches
 * ({@code spring.web.resources.chain.cache}, on unless devtools turns it off): an application that asked for its
 * resource chain to be cached gets its negative answers cached too, for the same time to live as the servlet
 * context's resources ({@code server.hybrid.resource.cache-ttl}). A chain without caching is left as it is.
 */
final class ResourceChainAnswerCacheInstaller implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ResourceChainAnswerCacheInstaller.class);

	private final ApplicationContext context;

	private final Duration ttl;

	private final int maxEntries;

	ResourceChainAnswerCacheInstaller(ApplicationContext context, Duration ttl, int maxEntries) {
		this.context = context;
		this.ttl = ttl;
		this.maxEntries = maxEntries;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.ttl.isZero() || this.ttl.isNegative() || this.maxEntries < 1) {
			// A zero time to live turns the servlet context's cache off; the server refuses the other values at startup.
			return;
		}
		int installed = 0;
		for (AbstractUrlHandlerMapping mapping : this.context
			.getBeansOfType(AbstractUrlHandlerMapping.class, false, false)
			.values()) {
			for (Object handler : mapping.getHandlerMap().values()) {
				if (handler instanceof ResourceHttpRequestHandler resourceHandler && install(resourceHandler)) {
					installed++;
				}
			}
		}
		if (installed > 0 && logger.isDebugEnabled()) {
			logger.debug("Caching the resource chain's URL answers, found and not found, for " + this.ttl + " in "
					+ installed + " resource handler(s)");
		}
	}

	private boolean install(ResourceHttpRequestHandler handler) {
		// The handler's own list: ResourceUrlProvider builds its chain from it on each call, while the handler serves
		// requests through the chain it built at startup, which does not change.
		List<ResourceResolver> resolvers = handler.getResourceResolvers();
		boolean caching = resolvers.stream().anyMatch(CachingResourceResolver.class::isInstance);
		boolean present = resolvers.stream().anyMatch(ResourceChainAnswerCache.class::isInstance);
		if (!caching || present) {
			return false;
		}
		resolvers.add(0, new ResourceChainAnswerCache(new ResourceCache<>(this.ttl, this.maxEntries, System::nanoTime)));
		return true;
	}

}
