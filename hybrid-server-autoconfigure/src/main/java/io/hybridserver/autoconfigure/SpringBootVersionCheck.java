package io.hybridserver.autoconfigure;

import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

/**
 * Stops an application on a Spring Boot the starter does not support (3.x and older) before its context refreshes,
 * with one message naming the supported lines. Without it, Boot 3 goes on to load the starter's auto-configurations,
 * written against Boot 4's modules, and fails later with an error that points elsewhere (a bean-override or a
 * missing class). An {@link ApplicationContextInitializer} because its contract and its {@code spring.factories} key
 * are the same on every Boot line, and it runs before any of our configuration is read.
 */
public class SpringBootVersionCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** The Boot lines this starter is built and tested on (the build's default and its boot-4.0 profile). */
	static final String SUPPORTED = "Spring Boot 4.0.x and 4.1.x";

	/**
	 * A class of Boot 4's web-server module, which our factories and auto-configurations build on; Boot 3 and older
	 * have their server properties elsewhere ({@code org.springframework.boot.autoconfigure.web.ServerProperties}).
	 */
	static final String BOOT_4_MARKER = "org.springframework.boot.web.server.autoconfigure.ServerProperties";

	@Override
	public void initialize(ConfigurableApplicationContext applicationContext) {
		ClassLoader classLoader = applicationContext.getClassLoader();
		check(ClassUtils.isPresent(BOOT_4_MARKER, (classLoader != null) ? classLoader : getClass().getClassLoader()),
				SpringBootVersion.getVersion());
	}

	/** Throws when Boot 4's web-server module is absent; {@code version} only words the message. */
	static void check(boolean boot4WebServerPresent, String version) {
		if (!boot4WebServerPresent) {
			throw new UnsupportedSpringBootVersionException(version);
		}
	}

}
