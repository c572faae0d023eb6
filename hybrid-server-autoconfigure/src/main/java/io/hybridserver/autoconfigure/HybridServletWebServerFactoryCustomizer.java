package io.hybridserver.autoconfigure;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties.ForwardHeadersStrategy;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import io.hybridserver.boot.HybridServletWebServerFactory;
import io.hybridserver.servlet.resource.StaticResources;

/**
 * Copies the servlet container's share of the configuration into the servlet factory: {@code server.forward-headers-strategy}
 * with {@code server.hybrid.remote-ip.*}, {@code server.hybrid.max-part-count} and {@code server.hybrid.resource.*}. The engine's share is
 * {@link HybridServerFactoryCustomizer}'s. Invalid values fail here, at startup, with the property's name in the message.
 */
public class HybridServletWebServerFactoryCustomizer
		implements WebServerFactoryCustomizer<HybridServletWebServerFactory>, Ordered {

	private final HybridServerProperties properties;

	private final ServerProperties serverProperties;

	private final Environment environment;

	public HybridServletWebServerFactoryCustomizer(HybridServerProperties properties,
			ServerProperties serverProperties, Environment environment) {
		this.properties = properties;
		this.serverProperties = serverProperties;
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return 0;
	}

	@Override
	public void customize(HybridServletWebServerFactory factory) {
		customizeServlet(factory);
	}

	/** The servlet container's share: forwarding headers as Tomcat's native strategy reads them, multipart bounds. */
	private void customizeServlet(HybridServletWebServerFactory factory) {
		ForwardHeadersStrategy strategy = this.serverProperties.getForwardHeadersStrategy();
		boolean onCloudPlatform = CloudPlatform.getActive(this.environment) != null
				&& CloudPlatform.getActive(this.environment).isUsingForwardHeaders();
		factory.setUseForwardHeaders(
				(strategy == null) ? onCloudPlatform : strategy == ForwardHeadersStrategy.NATIVE);
		factory.setInternalProxies(this.properties.getRemoteIp().getInternalProxies());
		factory.setTrustedProxies(this.properties.getRemoteIp().getTrustedProxies());
		HybridServerFactoryCustomizer.apply("max-part-count", () -> factory.setMaxPartCount(this.properties.getMaxPartCount()));
		HybridServerProperties.Resource resource = this.properties.getResource();
		HybridServerFactoryCustomizer.apply("resource.cache-ttl / cache-max-entries",
				() -> factory.setResourceCache(new StaticResources.Settings(resource.isCacheEnabled(),
						resource.getCacheTtl(), resource.getCacheMaxEntries())));
	}

}
