package io.hybridserver.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The hybrid server of the management port ({@code management.server.port}), under
 * {@code management.server.hybrid}: like {@code management.server.tomcat.*}.
 */
@ConfigurationProperties("management.server.hybrid")
public class HybridManagementServerProperties {

	private final Accesslog accesslog = new Accesslog();

	public Accesslog getAccesslog() {
		return this.accesslog;
	}

	/**
	 * The management server's access log.
	 */
	public static class Accesslog {

		/**
		 * Prefix added to server.hybrid.accesslog.prefix for the management server's files, so that its lines do not
		 * go to the application's files.
		 */
		private String prefix = "management_";

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

	}

}
