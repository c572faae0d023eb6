package io.hybridserver.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.hybridserver.boot.InvalidServerSettingsException;
import io.hybridserver.tls.InvalidTlsConfigurationException;
import io.hybridserver.transport.TransportUnavailableException;

/**
 * Turns the hybrid server's startup failures into Spring Boot's failure report: what is wrong and what to change.
 * Actions point to the documentation inside the starter's own jar ({@value #DOCS}), which every user of the jar
 * has, and to the property descriptions their IDE shows, never to a path in our source repository.
 */
class HybridServerFailureAnalyzer extends AbstractFailureAnalyzer<RuntimeException> {

	/** Where the build puts docs/*.md in the hybrid-server-autoconfigure jar (see its pom). */
	static final String DOCS = "META-INF/hybrid-server/docs/";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RuntimeException cause) {
		UnsupportedSpringBootVersionException boot = findCause(rootFailure, UnsupportedSpringBootVersionException.class);
		if (boot != null) {
			return new FailureAnalysis(boot.getMessage() + ".",
					"Upgrade the application to Spring Boot 4.0.x or 4.1.x"
							+ ", or remove hybrid-server-starter to keep Spring Boot's own server.",
					boot);
		}
		TransportUnavailableException transport = findCause(rootFailure, TransportUnavailableException.class);
		if (transport != null) {
			return new FailureAnalysis(transport.getMessage(),
					"Set server.hybrid.transport=auto (or nio), or add the native transport jar for this platform "
							+ "(hybrid-server-starter brings epoll, io_uring and kqueue for Linux and macOS). "
							+ seeDocs("configuration.md"),
					transport);
		}
		InvalidTlsConfigurationException tls = findCause(rootFailure, InvalidTlsConfigurationException.class);
		if (tls != null) {
			return new FailureAnalysis("The hybrid server cannot start TLS: " + tls.getMessage(),
					"Change " + tls.property() + ". " + seeDocs("tls.md"), tls);
		}
		InvalidServerSettingsException settings = findCause(rootFailure, InvalidServerSettingsException.class);
		if (settings != null) {
			return new FailureAnalysis("The hybrid server cannot start: " + settings.getMessage(),
					"Change the property named above in application.yml (or application.properties): your IDE shows "
							+ "its description and default. " + seeDocs("configuration.md"),
					settings);
		}
		return null;
	}

	/** A pointer to one page of the documentation that ships in the jar. */
	static String seeDocs(String page) {
		return "See " + page + " in the hybrid-server-autoconfigure jar (" + DOCS + page + ").";
	}

}
