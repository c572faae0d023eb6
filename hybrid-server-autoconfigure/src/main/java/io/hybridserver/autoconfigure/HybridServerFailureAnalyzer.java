package io.hybridserver.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.hybridserver.boot.InvalidServerSettingsException;
import io.hybridserver.tls.InvalidTlsConfigurationException;
import io.hybridserver.transport.TransportUnavailableException;

/**
 * Turns the hybrid server's startup failures into Spring Boot's failure report: what is wrong and what to change.
 */
class HybridServerFailureAnalyzer extends AbstractFailureAnalyzer<RuntimeException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RuntimeException cause) {
		TransportUnavailableException transport = findCause(rootFailure, TransportUnavailableException.class);
		if (transport != null) {
			return new FailureAnalysis(transport.getMessage(),
					"Set server.hybrid.transport=auto (or nio), or add the native transport jar for this platform "
							+ "(hybrid-server-starter brings epoll, io_uring and kqueue for Linux and macOS).",
					transport);
		}
		InvalidTlsConfigurationException tls = findCause(rootFailure, InvalidTlsConfigurationException.class);
		if (tls != null) {
			return new FailureAnalysis("The hybrid server cannot start TLS: " + tls.getMessage(),
					"Change " + tls.property() + " (see docs/tls.md).", tls);
		}
		InvalidServerSettingsException settings = findCause(rootFailure, InvalidServerSettingsException.class);
		if (settings != null) {
			return new FailureAnalysis("The hybrid server cannot start: " + settings.getMessage(),
					"Change the property named above in application.yml (or application.properties).", settings);
		}
		return null;
	}

}
