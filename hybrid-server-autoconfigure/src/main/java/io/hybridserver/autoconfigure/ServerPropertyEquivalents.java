package io.hybridserver.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@code server.tomcat.*}, {@code server.jetty.*} or {@code server.netty.*} property becomes on the hybrid
 * server: the table behind the startup warning and docs/migrating.md. Equivalents are named, never applied: a
 * property read under another server's name would change meaning silently where the two servers differ (Tomcat's
 * max-part-header-size defaults to 512 bytes, ours to 4 KB), and one warning that names the new property is a
 * smaller surprise.
 */
final class ServerPropertyEquivalents {

	/** Foreign property (canonical form, without list indexes) to its hybrid equivalent; {@code null} for none. */
	private static final Map<String, String> EQUIVALENTS = new LinkedHashMap<>();

	static {
		// Tomcat
		same("server.tomcat.accesslog.", "enabled", "pattern", "directory", "prefix", "suffix", "file-date-format",
				"rotate", "max-days", "buffered", "encoding", "request-attributes-enabled");
		none("server.tomcat.accesslog.", "check-exists", "condition-if", "condition-unless", "ipv6-canonical",
				"locale", "rename-on-rotate");
		map("server.tomcat.threads.max", "server.hybrid.workers");
		map("server.tomcat.threads.max-queue-capacity", "server.hybrid.request-queue-capacity");
		map("server.tomcat.threads.min-spare", "server.hybrid.min-spare-workers");
		map("server.tomcat.max-connections", "server.hybrid.max-connections");
		map("server.tomcat.accept-count", "server.hybrid.accept-backlog");
		map("server.tomcat.connection-timeout", "server.hybrid.connection-timeout");
		map("server.tomcat.keep-alive-timeout", "server.hybrid.keep-alive-timeout");
		map("server.tomcat.max-keep-alive-requests", "server.hybrid.max-keep-alive-requests");
		map("server.tomcat.max-part-count", "server.hybrid.max-part-count");
		map("server.tomcat.max-http-form-post-size", "server.hybrid.max-form-post-size");
		map("server.tomcat.max-parameter-count", "server.hybrid.max-parameter-count");
		map("server.tomcat.max-part-header-size", "server.hybrid.max-part-header-size");
		map("server.tomcat.max-http-response-header-size", "server.hybrid.max-response-header-size");
		map("server.tomcat.redirect-context-root", "server.hybrid.redirect-context-root");
		map("server.tomcat.remoteip.internal-proxies", "server.hybrid.remote-ip.internal-proxies");
		map("server.tomcat.remoteip.trusted-proxies", "server.hybrid.remote-ip.trusted-proxies");
		map("server.tomcat.remoteip.remote-ip-header", "server.hybrid.remote-ip.remote-ip-header");
		map("server.tomcat.remoteip.protocol-header", "server.hybrid.remote-ip.protocol-header");
		map("server.tomcat.remoteip.protocol-header-https-value",
				"server.hybrid.remote-ip.protocol-header-https-value");
		map("server.tomcat.remoteip.host-header", "server.hybrid.remote-ip.host-header");
		map("server.tomcat.remoteip.port-header", "server.hybrid.remote-ip.port-header");
		map("server.tomcat.resource.allow-caching", "server.hybrid.resource.cache-enabled");
		map("server.tomcat.resource.cache-ttl", "server.hybrid.resource.cache-ttl");
		// Jetty
		map("server.jetty.threads.max", "server.hybrid.workers");
		map("server.jetty.threads.max-queue-capacity", "server.hybrid.request-queue-capacity");
		map("server.jetty.threads.selectors", "server.hybrid.io-threads");
		map("server.jetty.threads.min", "server.hybrid.min-spare-workers");
		map("server.jetty.threads.idle-timeout", "server.hybrid.worker-idle-timeout");
		map("server.jetty.max-connections", "server.hybrid.max-connections");
		map("server.jetty.connection-idle-timeout", "server.hybrid.keep-alive-timeout");
		map("server.jetty.accesslog.enabled", "server.hybrid.accesslog.enabled");
		map("server.jetty.accesslog.file-date-format", "server.hybrid.accesslog.file-date-format");
		map("server.jetty.accesslog.retention-period", "server.hybrid.accesslog.max-days");
		// Reactor Netty
		map("server.netty.connection-timeout", "server.hybrid.connection-timeout");
		map("server.netty.idle-timeout", "server.hybrid.keep-alive-timeout");
		map("server.netty.max-keep-alive-requests", "server.hybrid.max-keep-alive-requests");
		map("server.netty.max-initial-line-length", "server.hybrid.max-request-line-length");
	}

	/** The prefixes whose properties the hybrid server ignores. */
	static final String[] FOREIGN_PREFIXES = { "server.tomcat", "server.jetty", "server.netty" };

	private ServerPropertyEquivalents() {
	}

	private static void map(String foreign, String hybrid) {
		EQUIVALENTS.put(foreign, hybrid);
	}

	private static void same(String prefix, String... names) {
		for (String name : names) {
			map(prefix + name, "server.hybrid.accesslog." + name);
		}
	}

	private static void none(String prefix, String... names) {
		for (String name : names) {
			map(prefix + name, null);
		}
	}

	/** The hybrid equivalent of a foreign property, or {@code null} when there is none. */
	static String equivalentOf(String property) {
		return EQUIVALENTS.get(property.replaceAll("\\[[^]]*]", ""));
	}

	/** Every foreign property the table knows, with its equivalent or {@code null}; for docs and tests. */
	static Map<String, String> table() {
		return Collections.unmodifiableMap(EQUIVALENTS);
	}

	/** Whether a property belongs to another server's namespace. */
	static boolean isForeign(String property) {
		for (String prefix : FOREIGN_PREFIXES) {
			if (property.startsWith(prefix + ".")) {
				return true;
			}
		}
		return false;
	}

}
