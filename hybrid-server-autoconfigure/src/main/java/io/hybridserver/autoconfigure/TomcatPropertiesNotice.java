package io.hybridserver.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Warns once at startup about {@code server.tomcat.*} properties an application carried over: Tomcat no longer runs,
 * so they would otherwise be ignored in silence, limits included. Each is named with the {@code server.hybrid.*}
 * property that takes its place, where there is one.
 */
final class TomcatPropertiesNotice {

	private static final Log logger = LogFactory.getLog(TomcatPropertiesNotice.class);

	/** Tomcat's property (relaxed, kebab-case) to ours. */
	private static final Map<String, String> REPLACEMENTS = Map.ofEntries(
			Map.entry("server.tomcat.threads.max", "server.hybrid.workers"),
			Map.entry("server.tomcat.accept-count", "server.hybrid.accept-backlog"),
			Map.entry("server.tomcat.max-connections", "server.hybrid.max-connections"),
			Map.entry("server.tomcat.connection-timeout", "server.hybrid.connection-timeout"),
			Map.entry("server.tomcat.keep-alive-timeout", "server.hybrid.keep-alive-timeout"),
			Map.entry("server.tomcat.max-keep-alive-requests", "server.hybrid.max-keep-alive-requests"),
			Map.entry("server.tomcat.max-http-form-post-size", "server.hybrid.max-form-post-size"),
			Map.entry("server.tomcat.max-parameter-count", "server.hybrid.max-parameter-count"),
			Map.entry("server.tomcat.max-part-count", "server.hybrid.max-part-count"),
			Map.entry("server.tomcat.max-part-header-size", "server.hybrid.max-part-header-size"),
			Map.entry("server.tomcat.max-http-response-header-size", "server.hybrid.max-response-header-size"),
			Map.entry("server.tomcat.remoteip.internal-proxies", "server.hybrid.remote-ip.internal-proxies"),
			Map.entry("server.tomcat.remoteip.trusted-proxies", "server.hybrid.remote-ip.trusted-proxies"),
			Map.entry("server.tomcat.remoteip.remote-ip-header", "server.hybrid.remote-ip.remote-ip-header"),
			Map.entry("server.tomcat.remoteip.protocol-header", "server.hybrid.remote-ip.protocol-header"),
			Map.entry("server.tomcat.remoteip.protocol-header-https-value",
					"server.hybrid.remote-ip.protocol-header-https-value"),
			Map.entry("server.tomcat.remoteip.host-header", "server.hybrid.remote-ip.host-header"),
			Map.entry("server.tomcat.remoteip.port-header", "server.hybrid.remote-ip.port-header"),
			Map.entry("server.tomcat.resource.cache-ttl", "server.hybrid.resource.cache-ttl"));

	private TomcatPropertiesNotice() {
	}

	/** Logs one warning naming every {@code server.tomcat.*} property set, or nothing when there is none. */
	static void warnIfAny(Environment environment) {
		String text = describe(environment);
		if (text != null) {
			logger.warn(text);
		}
	}

	/** The warning's text, or {@code null} when no {@code server.tomcat.*} property is set. */
	static String describe(Environment environment) {
		if (!(environment instanceof ConfigurableEnvironment configurable)) {
			return null;
		}
		Map<String, String> replacements = new HashMap<>();
		REPLACEMENTS.forEach((tomcat, hybrid) -> replacements.put(normalized(tomcat), hybrid));
		Set<String> names = new TreeSet<>();
		for (PropertySource<?> source : configurable.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					if (normalized(name).startsWith("servertomcat")) {
						names.add(name);
					}
				}
			}
		}
		if (names.isEmpty()) {
			return null;
		}
		StringBuilder text = new StringBuilder("server.tomcat.* properties do not apply to the hybrid server, which "
				+ "replaces Tomcat, and are ignored:");
		for (String name : names) {
			String replacement = replacements.get(normalized(name));
			text.append(' ').append(name).append(" (");
			text.append((replacement != null) ? "use " + replacement : "no equivalent").append(')');
		}
		return text.append(". See configuration.md in the hybrid-server-autoconfigure jar (")
			.append(HybridServerFailureAnalyzer.DOCS)
			.append("configuration.md).")
			.toString();
	}

	/**
	 * A name with Boot's relaxed differences taken out (case, dashes, underscores, dots), so that
	 * {@code server.tomcat.accept-count}, {@code server.tomcat.acceptCount} and {@code SERVER_TOMCAT_ACCEPTCOUNT} compare
	 * equal.
	 */
	static String normalized(String name) {
		StringBuilder out = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c != '.' && c != '-' && c != '_') {
				out.append(Character.toLowerCase(c));
			}
		}
		return out.toString();
	}

}
