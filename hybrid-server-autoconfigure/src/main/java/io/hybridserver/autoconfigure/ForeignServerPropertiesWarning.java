package io.hybridserver.autoconfigure;

import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import io.hybridserver.boot.HybridWebServer;

/**
 * Once the application has started on the hybrid server, logs one WARN naming every {@code server.tomcat.*},
 * {@code server.jetty.*} and {@code server.netty.*} property that is set, each with its {@code server.hybrid.*}
 * equivalent or "no equivalent": a Tomcat configuration carried over is otherwise ignored without a word.
 */
public class ForeignServerPropertiesWarning implements ApplicationListener<ApplicationStartedEvent> {

	private static final Log logger = LogFactory.getLog(ForeignServerPropertiesWarning.class);

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		ApplicationContext context = event.getApplicationContext();
		if (!(context instanceof WebServerApplicationContext webContext)
				|| !(webContext.getWebServer() instanceof HybridWebServer)
				|| WebServerApplicationContext.hasServerNamespace(context, "management")) {
			return;
		}
		String message = message(foreignProperties(context.getEnvironment()));
		if (message != null) {
			logger.warn(message);
		}
	}

	/** The foreign properties set in the environment, in canonical form, sorted. */
	static Set<String> foreignProperties(Environment environment) {
		Set<String> found = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.map(ConfigurationPropertyName::toString)
					.filter(ServerPropertyEquivalents::isForeign)
					.forEach(found::add);
			}
		}
		return found;
	}

	/** The warning for these properties, or {@code null} when there are none. */
	static String message(Set<String> properties) {
		if (properties.isEmpty()) {
			return null;
		}
		StringBuilder message = new StringBuilder("The hybrid server ignores ").append(properties.size())
			.append((properties.size() == 1) ? " property" : " properties")
			.append(" of another web server (see docs/migrating.md):");
		for (String property : properties) {
			String equivalent = ServerPropertyEquivalents.equivalentOf(property);
			message.append(System.lineSeparator()).append("  ").append(property).append(" -> ")
				.append((equivalent != null) ? "use " + equivalent : "no equivalent");
		}
		return message.toString();
	}

}
