package io.hybridserver.boot;

import java.util.Map;
import java.util.function.Supplier;

import io.hybridserver.tls.InvalidTlsConfigurationException;
import io.hybridserver.tls.TlsCredentials;
import io.netty.handler.ssl.ClientAuth;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerException;

/**
 * Turns Spring Boot's {@code server.ssl} (inline stores or a named bundle, plus server-name bundles) into the
 * {@link TlsCredentials} the engine serves. Shared by the servlet and the reactive factories.
 */
final class SslConfiguration {

	private SslConfiguration() {
	}

	/**
	 * @param ssl Boot's settings, or {@code null}
	 * @param defaultBundle how the factory resolved them ({@code getSslBundle()}), asked only when SSL is enabled
	 * @param serverNameBundles the resolved server-name bundles ({@code getServerNameSslBundles()})
	 * @param registry the application's bundles, for reload-on-update, or {@code null}
	 * @return the credentials, or {@code null} when SSL is not enabled
	 * @throws InvalidTlsConfigurationException if the stores cannot be loaded
	 */
	static TlsCredentials credentials(Ssl ssl, Supplier<SslBundle> defaultBundle,
			Supplier<Map<String, SslBundle>> serverNameBundles, SslBundles registry) {
		if (!Ssl.isEnabled(ssl)) {
			return null;
		}
		SslBundle bundle = load(defaultBundle, ssl);
		ClientAuth clientAuth = Ssl.ClientAuth.map(ssl.getClientAuth(), ClientAuth.NONE, ClientAuth.OPTIONAL,
				ClientAuth.REQUIRE);
		TlsCredentials credentials = TlsCredentials.of(bundle, ssl.getBundle(), clientAuth, registry);
		Map<String, SslBundle> byServerName = load(serverNameBundles, ssl);
		for (Ssl.ServerNameSslBundle serverName : ssl.getServerNameBundles()) {
			credentials = credentials.withServerName(serverName.serverName(), serverName.bundle(),
					byServerName.get(serverName.serverName()));
		}
		return credentials;
	}

	/**
	 * A TLS configuration that cannot work as Boot's own servers report it, a {@link WebServerException} around our
	 * exception (which still names the property for the failure analyzer); any other failure as it is.
	 */
	static RuntimeException asWebServerException(RuntimeException ex) {
		if (ex instanceof InvalidTlsConfigurationException tls) {
			return new WebServerException("Unable to configure TLS: " + tls.getMessage(), tls);
		}
		return ex;
	}

	/**
	 * The TLS credentials of an additional listener: its own bundle when it names one, the primary port's when it only
	 * turns ssl on, none in clear text.
	 * @param primary the primary port's credentials, or {@code null}
	 * @param registry the application's bundles
	 * @throws InvalidTlsConfigurationException if the bundle does not exist or cannot be loaded
	 */
	static TlsCredentials listenerCredentials(HybridListener listener, TlsCredentials primary, SslBundles registry) {
		if (!listener.isSsl()) {
			return null;
		}
		String name = listener.getSslBundle();
		if (name == null) {
			return primary;
		}
		String who = (listener.getName() != null) ? "Listener '" + listener.getName() + "'"
				: "The listener on " + listener.describeEndpoint();
		String property = "server.hybrid.additional-listeners ssl-bundle";
		if (registry == null) {
			throw new InvalidTlsConfigurationException(property, who + " names SSL bundle '" + name
					+ "', but the application has no SSL bundles. Define it under "
					+ "spring.ssl.bundle.", null);
		}
		SslBundle bundle;
		try {
			bundle = registry.getBundle(name);
		}
		catch (RuntimeException ex) {
			throw new InvalidTlsConfigurationException(property, who + " names SSL bundle '" + name
					+ "', which cannot be loaded: " + messageChain(ex)
					+ ". Define it under spring.ssl.bundle, or fix its stores.", ex);
		}
		return TlsCredentials.of(bundle, name, ClientAuth.NONE, registry);
	}

	/** Boot loads stores lazily and reports problems with its own exceptions; name the property instead. */
	private static <T> T load(Supplier<T> loader, Ssl ssl) {
		try {
			return loader.get();
		}
		catch (RuntimeException ex) {
			String property = (ssl.getBundle() != null || !ssl.getServerNameBundles().isEmpty())
					? "server.ssl.bundle" : "server.ssl";
			throw new InvalidTlsConfigurationException(property,
					"Cannot load the TLS key or trust material configured by " + property + ": " + messageChain(ex)
							+ ". Check the store locations, types and passwords.",
					ex);
		}
	}

	/** Boot's own message is often generic; the causes say which file or password was wrong. */
	private static String messageChain(Throwable ex) {
		StringBuilder message = new StringBuilder(String.valueOf(ex.getMessage()));
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			message.append(" (").append(cause.getMessage()).append(')');
		}
		return message.toString();
	}

}
