package io.hybridserver.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.hybridserver.boot.ConfigurableHybridWebServerFactory;
import io.hybridserver.boot.HybridListener;
import io.hybridserver.boot.InvalidServerSettingsException;
import io.hybridserver.transport.CidrRange;
import io.hybridserver.transport.ProtocolDetectionSettings;
import io.hybridserver.transport.ProxyProtocolSettings;
import io.hybridserver.transport.UnixSocketFile;

/**
 * Turns {@code server.hybrid.additional-listeners[n].*} into listeners on either hybrid factory, and
 * {@code server.hybrid.proxy-protocol.*} into the primary port's PROXY protocol settings; part of
 * {@link HybridServerFactoryCustomizer}. Every mistake fails startup with the property's full name.
 */
final class ListenerPropertiesMapper {

	private static final String PREFIX = "server.hybrid.";

	private ListenerPropertiesMapper() {
	}

	static void apply(HybridServerProperties properties, ConfigurableHybridWebServerFactory factory) {
		factory.getServerSettings().setProxyProtocol(proxyProtocol("proxy-protocol", properties.getProxyProtocol()));
		factory.getServerSettings().setReusePort(properties.isReusePort());
		factory.getServerSettings()
			.setProtocolDetection(protocolDetection("protocol-detection", properties.getProtocolDetection()));
		List<HybridServerProperties.Listener> configured = properties.getAdditionalListeners();
		for (int i = 0; i < configured.size(); i++) {
			factory.addListeners(listener("additional-listeners[" + i + "]", configured.get(i)));
		}
	}

	private static HybridListener listener(String property, HybridServerProperties.Listener props) {
		HybridListener listener = new HybridListener().setName(props.getName())
			.setAddress(props.getAddress())
			.setUnixSocketPermissions(props.getUnixSocketPermissions())
			.setRedirectToHttps(props.isRedirectToHttps())
			.setSsl(props.getSsl().isEnabled())
			.setSslBundle(props.getSsl().getBundle())
			.setProxyProtocol(proxyProtocol(property + ".proxy-protocol", props.getProxyProtocol()))
			.setProtocolDetection(protocolDetection(property + ".protocol-detection", props.getProtocolDetection()));
		if (props.getPort() != null) {
			listener.setPort(props.getPort());
		}
		if (props.getUnixSocket() != null && !props.getUnixSocket().isBlank()) {
			listener.setUnixSocket(Path.of(props.getUnixSocket()));
		}
		if (props.getUnixSocketPermissions() != null) {
			try {
				UnixSocketFile.parsePermissions(props.getUnixSocketPermissions());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidServerSettingsException(
						PREFIX + property + ".unix-socket-permissions has an invalid value: " + ex.getMessage());
			}
		}
		listener.validate(PREFIX + property);
		return listener;
	}

	private static ProtocolDetectionSettings protocolDetection(String property,
			HybridServerProperties.ProtocolDetection props) {
		try {
			return new ProtocolDetectionSettings(props.isEnabled(), props.getTimeout());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidServerSettingsException(
					PREFIX + property + ".timeout has an invalid value: " + ex.getMessage());
		}
	}

	private static ProxyProtocolSettings proxyProtocol(String property, HybridServerProperties.ProxyProtocol props) {
		List<CidrRange> trusted = new ArrayList<>();
		for (String source : props.getTrustedSources()) {
			try {
				trusted.add(CidrRange.parse(source));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidServerSettingsException(
						PREFIX + property + ".trusted-sources has an invalid value: " + ex.getMessage());
			}
		}
		try {
			return new ProxyProtocolSettings(props.getMode(), trusted, props.getHeaderTimeout());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidServerSettingsException(
					PREFIX + property + ".header-timeout has an invalid value: " + ex.getMessage());
		}
	}

}
