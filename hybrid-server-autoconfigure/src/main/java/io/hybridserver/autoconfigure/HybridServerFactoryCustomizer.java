package io.hybridserver.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

import io.hybridserver.accesslog.AccessLogSettings;
import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.ConfigurableHybridWebServerFactory;
import io.hybridserver.boot.InvalidServerSettingsException;
import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.h2.Http2Config;
import io.hybridserver.http.h3.Http3Config;

/**
 * Copies the engine's share of {@code server.hybrid.*}, {@code server.max-http-request-header-size} and
 * {@code spring.threads.virtual.enabled} into either hybrid factory, servlet or reactive. Invalid values fail here, at startup, with the property's name in the message.
 */
public class HybridServerFactoryCustomizer
		implements WebServerFactoryCustomizer<ConfigurableHybridWebServerFactory>, Ordered {

	private final HybridServerProperties properties;

	private final ServerProperties serverProperties;

	private final Environment environment;

	public HybridServerFactoryCustomizer(HybridServerProperties properties,
			ServerProperties serverProperties, Environment environment) {
		this.properties = properties;
		this.serverProperties = serverProperties;
		this.environment = environment;
	}

	@Override
	public int getOrder() {
		return 0;
	}

	/** Applies one property, turning a rejected value into a message that names the property. */
	static void apply(String property, Runnable mapping) {
		try {
			mapping.run();
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidServerSettingsException(
					"server.hybrid." + property + " has an invalid value: " + ex.getMessage());
		}
	}

	@Override
	public void customize(ConfigurableHybridWebServerFactory factory) {
		HybridServerSettings settings = factory.getServerSettings();
		HybridServerProperties props = this.properties;
		PropertyMapper map = PropertyMapper.get();
		map.from(props::getTransport).to(settings::setTransport);
		map.from(props::getIoThreads).to(settings::setIoThreads);
		map.from(props::getWorkers).to(settings::setWorkers);
		map.from(props::getMinSpareWorkers).to(settings::setMinSpareWorkers);
		map.from(props::getWorkerIdleTimeout).to(settings::setWorkerIdleTimeout);
		map.from(props::getRequestQueueCapacity).to(settings::setRequestQueueCapacity);
		map.from(props::getResponseQueueCapacity).to(settings::setResponseQueueCapacity);
		map.from(props::getMaxConnections).to(settings::setMaxConnections);
		settings.setVirtualThreads(Threading.VIRTUAL.isActive(this.environment) && Dispatcher.virtualThreadsSupported());
		HttpServerConfig http = settings.getHttp();
		apply("connection-timeout", () -> map.from(props::getConnectionTimeout).to(http::setConnectionTimeout));
		apply("keep-alive-timeout", () -> map.from(props::getKeepAliveTimeout).to(http::setKeepAliveTimeout));
		apply("max-keep-alive-requests",
				() -> map.from(props::getMaxKeepAliveRequests).to(http::setMaxKeepAliveRequests));
		apply("max-pipelined-requests",
				() -> map.from(props::getMaxPipelinedRequests).to(http::setMaxPipelinedRequests));
		apply("max-request-line-length",
				() -> map.from(props::getMaxRequestLineLength).as(HybridServerFactoryCustomizer::bytes).to(http::setMaxRequestLineLength));
		apply("request-body-buffer-size",
				() -> map.from(props::getRequestBodyBufferSize).as(HybridServerFactoryCustomizer::bytes).to(http::setRequestBodyBufferSize));
		apply("max-request-body-buffer-size", () -> map.from(props::getMaxRequestBodyBufferSize)
			.as(HybridServerFactoryCustomizer::bytes)
			.to(http::setMaxRequestBodyBufferSize));
		apply("request-body-buffer-budget",
				() -> map.from(props::getRequestBodyBufferBudget).as(DataSize::toBytes).to(http::setRequestBodyBufferBudget));
		apply("response-buffer-size", () -> map.from(props::getResponseBufferSize)
			.as(HybridServerFactoryCustomizer::bytes)
			.to(http::setResponseHighWaterMark));
		apply("retry-after", () -> map.from(props::getRetryAfter).to(http::setRetryAfter));
		apply("request-queue-timeout", () -> map.from(props::getRequestQueueTimeout).to(http::setRequestQueueTimeout));
		map.from(props::isAllowTrace).to(http::setAllowTrace);
		apply("min-request-body-rate",
				() -> map.from(props::getMinRequestBodyRate).to(http::setMinRequestBodyRate));
		apply("min-request-body-rate-grace",
				() -> map.from(props::getMinRequestBodyRateGrace).to(http::setMinRequestBodyRateGrace));
		map.from(props::getMaxConnectionsPerAddress).to(settings::setMaxConnectionsPerAddress);
		Http2Config http2 = settings.getHttp2();
		map.from(props.getHttp2()::getMaxConcurrentStreams).to(http2::setMaxConcurrentStreams);
		map.from(props.getHttp2()::getInitialWindowSize).as(HybridServerFactoryCustomizer::bytes).to(http2::setInitialWindowSize);
		map.from(props.getHttp2()::getMaxFrameSize).as(HybridServerFactoryCustomizer::bytes).to(http2::setMaxFrameSize);
		// Unless set for HTTP/2 alone, Boot's header size limit applies to HTTP/2 header lists too, as with Tomcat.
		if (props.getHttp2().getMaxHeaderListSize() != null) {
			http2.setMaxHeaderListSize(bytes(props.getHttp2().getMaxHeaderListSize()));
		}
		else {
			map.from(this.serverProperties::getMaxHttpRequestHeaderSize)
				.as(DataSize::toBytes)
				.when((size) -> size > 0)
				.to((size) -> http2.setMaxHeaderListSize((int) Math.min(Integer.MAX_VALUE, size)));
		}
		map.from(props.getHttp2()::getMaxControlFramesPerSecond).to(http2::setMaxControlFramesPerSecond);
		map.from(props.getHttp2()::getMaxResetsPerWindow).to(http2::setMaxResetsPerWindow);
		map.from(props.getHttp2()::getResetWindow)
			.as((window) -> (int) Math.min(Integer.MAX_VALUE, window.toSeconds()))
			.to(http2::setResetWindowSeconds);
		applyHttp3(props.getHttp3(), settings.getHttp3(), map);
		map.from(props.getSsl()::getProvider).to(settings.getTls()::setProvider);
		map.from(props.getSsl()::getHandshakeTimeout).to(settings.getTls()::setHandshakeTimeout);
		map.from(props.getSsl()::getSessionTicketKeyRotation).to(settings.getTls()::setSessionTicketKeyRotation);
		map.from(this.serverProperties::getMaxHttpRequestHeaderSize)
			.as(DataSize::toBytes)
			.when((size) -> size > 0)
			.to((size) -> http.setMaxHeaderSize((int) Math.min(Integer.MAX_VALUE, size)));
		settings.setAdditionalCompressionMimeTypes(additionalCompressionMimeTypes(this.environment));
		apply("max-response-header-size", () -> map.from(props::getMaxResponseHeaderSize)
			.as(HybridServerFactoryCustomizer::bytes)
			.to(http::setMaxResponseHeaderSize));
		map.from(props::getAcceptBacklog).to(settings::setAcceptBacklog);
		applyAccessLog(props.getAccesslog(), settings.getAccessLog());
		ListenerPropertiesMapper.apply(props, factory);
	}

	/** server.hybrid.http3.*; Boot's header size limit bounds HTTP/3 header sections too, as it does HTTP/2's. */
	private void applyHttp3(HybridServerProperties.Http3 props, Http3Config http3, PropertyMapper map) {
		map.from(props::isEnabled).to(http3::setEnabled);
		map.from(props::getPort).to(http3::setPort);
		map.from(props::getMaxStreams).to(http3::setMaxStreams);
		map.from(props::getIdleTimeout).to(http3::setIdleTimeout);
		map.from(props::getInitialMaxStreamData).as(DataSize::toBytes).to(http3::setInitialMaxStreamData);
		map.from(props::getInitialMaxData).as(DataSize::toBytes).to(http3::setInitialMaxData);
		map.from(props::getMaxUdpPayloadSize).as(HybridServerFactoryCustomizer::bytes).to(http3::setMaxUdpPayloadSize);
		map.from(props::getQpackMaxTableCapacity).as(DataSize::toBytes).to(http3::setQpackMaxTableCapacity);
		map.from(props::getQpackBlockedStreams).to(http3::setQpackBlockedStreams);
		map.from(props::isEarlyData).to(http3::setEarlyData);
		map.from(props::isReusePort).to(http3::setReusePort);
		map.from(this.serverProperties::getMaxHttpRequestHeaderSize)
			.as(DataSize::toBytes)
			.when((size) -> size > 0)
			.to(http3::setMaxFieldSectionSize);
	}

	/** A size as an int of bytes, saturating (a limit over 2 GiB is no limit in practice). */
	static int bytes(DataSize size) {
		return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, size.toBytes()));
	}

	/**
	 * Boot 4.1's {@code server.compression.additional-mime-types}, bound from the environment rather than read from
	 * {@code Compression}, whose getter Boot 4.0 lacks: the starter runs on both lines without reflection.
	 */
	static List<String> additionalCompressionMimeTypes(Environment environment) {
		return Binder.get(environment)
			.bind("server.compression.additional-mime-types", Bindable.listOf(String.class))
			.orElse(List.of());
	}

	private static void applyAccessLog(HybridServerProperties.Accesslog props, AccessLogSettings accessLog) {
		PropertyMapper map = PropertyMapper.get();
		map.from(props::isEnabled).to(accessLog::setEnabled);
		map.from(props::getPattern).to(accessLog::setPattern);
		map.from(props::getOutput).to(accessLog::setOutput);
		map.from(props::getLogCategory).to(accessLog::setLogCategory);
		map.from(props::getDirectory).as(Path::of).to(accessLog::setDirectory);
		map.from(props::getPrefix).to(accessLog::setPrefix);
		map.from(props::getSuffix).to(accessLog::setSuffix);
		map.from(props::getFileDateFormat).to(accessLog::setFileDateFormat);
		map.from(props::isRotate).to(accessLog::setRotate);
		map.from(props::getMaxDays).to(accessLog::setMaxDays);
		map.from(props::isBuffered).to(accessLog::setBuffered);
		map.from(props::getEncoding).to(accessLog::setEncoding);
		map.from(props::getQueueCapacity).to(accessLog::setQueueCapacity);
		map.from(props::isRequestAttributesEnabled).to(accessLog::setRequestAttributesEnabled);
		map.from(props::getMaxFileSize).as(DataSize::toBytes).to(accessLog::setMaxFileSize);
		map.from(props::getMaxHistory).to(accessLog::setMaxHistory);
	}

}
