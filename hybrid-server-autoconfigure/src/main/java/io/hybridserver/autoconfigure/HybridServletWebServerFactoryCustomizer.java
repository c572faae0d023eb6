package io.hybridserver.autoconfigure;

import java.time.Duration;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties.ForwardHeadersStrategy;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import io.hybridserver.boot.HybridServletWebServerFactory;
import io.hybridserver.http.DurationText;
import io.hybridserver.servlet.resource.StaticResources;
import io.hybridserver.servlet.spec.ForwardedHeaders;
import io.hybridserver.websocket.WebSocketSettings;

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
		HybridServerProperties.RemoteIp remoteIp = this.properties.getRemoteIp();
		HybridServerFactoryCustomizer.apply("remote-ip.remote-ip-header",
				() -> factory.setForwardedHeaderNames(new ForwardedHeaders.Names(remoteIp.getRemoteIpHeader(),
						remoteIp.getProtocolHeader(), remoteIp.getProtocolHeaderHttpsValue(), remoteIp.getHostHeader(),
						remoteIp.getPortHeader())));
		HybridServerFactoryCustomizer.apply("max-part-header-size", () -> factory
			.setMaxPartHeaderSize(HybridServerFactoryCustomizer.bytes(this.properties.getMaxPartHeaderSize())));
		factory.setMaxFormPostSize(this.properties.getMaxFormPostSize().toBytes());
		factory.setMaxParameterCount(this.properties.getMaxParameterCount());
		HybridServerFactoryCustomizer.apply("max-part-count", () -> factory.setMaxPartCount(this.properties.getMaxPartCount()));
		factory.setRedirectContextRoot(this.properties.isRedirectContextRoot());
		factory.setRejectInvalidParameters(this.properties.isRejectInvalidParameters());
		HybridServerProperties.Resource resource = this.properties.getResource();
		Duration ttl = resource.getCacheTtl();
		int maxEntries = resource.getCacheMaxEntries();
		HybridServerFactoryCustomizer.apply("resource.cache-ttl", () -> {
			if (ttl == null || ttl.isNegative()) {
				throw new IllegalArgumentException("must be zero (no caching) or more, was " + DurationText.of(ttl));
			}
		});
		HybridServerFactoryCustomizer.apply("resource.cache-max-entries", () -> {
			if (maxEntries < 1) {
				throw new IllegalArgumentException("must be at least 1, was " + maxEntries);
			}
		});
		factory.setResourceCache(new StaticResources.Settings(resource.isCacheEnabled(), ttl, maxEntries));
		HybridServerFactoryCustomizer.apply("websocket", () -> factory.setWebSocketSettings(webSocket(this.properties)));
	}

	/** {@code server.hybrid.websocket.*} (for the reactive factory too); a bad value fails with the property named. */
	static WebSocketSettings webSocket(HybridServerProperties properties) {
		HybridServerProperties.Websocket ws = properties.getWebsocket();
		int frame = HybridServerFactoryCustomizer.bytes(ws.getMaxFrameSize());
		if (frame < 125) {
			throw new IllegalArgumentException("max-frame-size must be at least 125B, was " + frame + "B");
		}
		int message = HybridServerFactoryCustomizer.bytes(ws.getMaxMessageSize());
		if (message < 1) {
			throw new IllegalArgumentException("max-message-size must be positive, was " + message + "B");
		}
		if (ws.getMaxSessions() < 0) {
			throw new IllegalArgumentException("max-sessions must be 0 (no limit) or more, was " + ws.getMaxSessions());
		}
		int sendBuffer = HybridServerFactoryCustomizer.bytes(ws.getSendBufferSize());
		if (sendBuffer < 1) {
			throw new IllegalArgumentException("send-buffer-size must be positive, was " + ws.getSendBufferSize());
		}
		for (Duration timeout : new Duration[] { ws.getSendTimeout(), ws.getCloseTimeout() }) {
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("send-timeout and close-timeout must be positive, was " + timeout);
			}
		}
		if (ws.getIdleTimeout() == null || ws.getIdleTimeout().isNegative()) {
			throw new IllegalArgumentException("idle-timeout must be 0 (none) or more, was " + ws.getIdleTimeout());
		}
		return new WebSocketSettings(frame, message, frame, sendBuffer,
				ws.getSendTimeout(), ws.getCloseTimeout(), ws.getIdleTimeout(), ws.getMaxSessions());
	}

}
