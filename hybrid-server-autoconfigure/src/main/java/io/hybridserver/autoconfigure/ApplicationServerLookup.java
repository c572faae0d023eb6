package io.hybridserver.autoconfigure;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import io.hybridserver.boot.HybridWebServer;

/**
 * Finds the server that serves the application, for Actuator's views of it: from a management child context (its own
 * server on {@code management.server.port}) that is the root context's server, not the child's.
 */
final class ApplicationServerLookup {

	private ApplicationServerLookup() {
	}

	/** The outermost hybrid server of {@code context} and its parents, or {@code null} when there is none. */
	static HybridWebServer find(ApplicationContext context) {
		ApplicationContext current = context;
		HybridWebServer found = null;
		while (current != null) {
			if (current instanceof WebServerApplicationContext web) {
				WebServer server = web.getWebServer();
				if (server instanceof HybridWebServer hybrid) {
					found = hybrid;
				}
			}
			current = current.getParent();
		}
		return found;
	}

}
