package io.hybridserver.autoconfigure.webmvc;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.Resource;
import org.springframework.web.servlet.resource.ResourceResolver;
import org.springframework.web.servlet.resource.ResourceResolverChain;

import io.hybridserver.servlet.resource.ResourceCache;

/**
 * The first resolver of a Spring MVC resource handler's chain as {@code ResourceUrlProvider} walks it: keeps the
 * chain's answer to "what is the public URL of this path", found or not found, for a time to live.
 * <p>
 * Every link a template builds through {@code ResourceUrlEncodingFilter} asks that question, and for a link that is
 * not a static resource ({@code /owners/1}) the answer is "none", which Spring's {@code CachingResourceResolver} does
 * not keep: each such link makes {@code PathResourceResolver} ask every static location, and each class-path location
 * is a class loader lookup that searches every jar of the application before it gives up. On a page with a dozen links
 * that is most of the page's cost, on any server. Requests for resources are not touched: the handler serves them
 * through the chain it built at startup, without this resolver.
 */
final class ResourceChainAnswerCache implements ResourceResolver {

	private static final Runnable NOTHING = () -> {
	};

	private final ResourceCache<String> answers;

	ResourceChainAnswerCache(ResourceCache<String> answers) {
		this.answers = answers;
	}

	@Override
	public Resource resolveResource(HttpServletRequest request, String requestPath,
			List<? extends Resource> locations, ResourceResolverChain chain) {
		return chain.resolveResource(request, requestPath, locations);
	}

	@Override
	public String resolveUrlPath(String resourcePath, List<? extends Resource> locations,
			ResourceResolverChain chain) {
		// The locations are the handler's own, the same on every call: the path alone is the key.
		return this.answers.get(resourcePath, (path) -> chain.resolveUrlPath(path, locations), NOTHING);
	}

}
