package io.hybridserver.tls;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import io.netty.handler.ssl.ClientAuth;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * What a TLS port serves, as the user configured it in Spring terms: the default bundle, a bundle per server name
 * (SNI), whether clients must show a certificate, and where named bundles come from so that their updates reach the
 * server ({@code reload-on-update}). Immutable: an update makes a new instance.
 */
public final class TlsCredentials {

	private final NamedBundle defaultBundle;

	private final Map<String, NamedBundle> serverNameBundles;

	private final ClientAuth clientAuth;

	private final SslBundles registry;

	private TlsCredentials(NamedBundle defaultBundle, Map<String, NamedBundle> serverNameBundles,
			ClientAuth clientAuth, SslBundles registry) {
		this.defaultBundle = defaultBundle;
		this.serverNameBundles = Collections.unmodifiableMap(new LinkedHashMap<>(serverNameBundles));
		this.clientAuth = clientAuth;
		this.registry = registry;
	}

	/**
	 * @param defaultBundle the bundle for connections without a configured server name
	 * @param defaultBundleName its name in {@code registry} ({@code server.ssl.bundle}), or {@code null} when it was
	 *     configured inline with {@code server.ssl.*} and cannot change
	 * @param clientAuth none, want or need
	 * @param registry the application's bundles, for update notifications, or {@code null}
	 */
	public static TlsCredentials of(SslBundle defaultBundle, String defaultBundleName, ClientAuth clientAuth,
			SslBundles registry) {
		return new TlsCredentials(new NamedBundle(defaultBundleName, Objects.requireNonNull(defaultBundle)), Map.of(),
				(clientAuth != null) ? clientAuth : ClientAuth.NONE, registry);
	}

	/** Adds a bundle for one server name ({@code server.ssl.server-name-bundles}); wildcards like {@code *.example.com} work. */
	public TlsCredentials withServerName(String serverName, String bundleName, SslBundle bundle) {
		Map<String, NamedBundle> names = new LinkedHashMap<>(this.serverNameBundles);
		names.put(serverName, new NamedBundle(bundleName, Objects.requireNonNull(bundle)));
		return new TlsCredentials(this.defaultBundle, names, this.clientAuth, this.registry);
	}

	/** A copy in which every use of the named bundle is replaced by its updated content. */
	TlsCredentials withUpdatedBundle(String bundleName, SslBundle bundle) {
		NamedBundle updated = new NamedBundle(bundleName, bundle);
		NamedBundle defaults = bundleName.equals(this.defaultBundle.name()) ? updated : this.defaultBundle;
		Map<String, NamedBundle> names = new LinkedHashMap<>();
		this.serverNameBundles.forEach((serverName, named) -> names.put(serverName,
				bundleName.equals(named.name()) ? updated : named));
		return new TlsCredentials(defaults, names, this.clientAuth, this.registry);
	}

	/**
	 * Tells {@code handler} of every update of a named bundle these credentials use ({@code reload-on-update}), with
	 * the bundle's name and its new content; nothing for inline configuration or without a registry. Each TLS
	 * listener (TCP and QUIC) registers its own handler, so one reload reaches all of them.
	 */
	void onBundleUpdate(BiConsumer<String, SslBundle> handler) {
		if (this.registry == null) {
			return;
		}
		Set<String> names = new LinkedHashSet<>();
		names.add(this.defaultBundle.name());
		this.serverNameBundles.values().forEach((named) -> names.add(named.name()));
		names.remove(null);
		for (String name : names) {
			this.registry.addBundleUpdateHandler(name, (bundle) -> handler.accept(name, bundle));
		}
	}

	NamedBundle defaultBundle() {
		return this.defaultBundle;
	}

	Map<String, NamedBundle> serverNameBundles() {
		return this.serverNameBundles;
	}

	ClientAuth clientAuth() {
		return this.clientAuth;
	}

	SslBundles registry() {
		return this.registry;
	}

	/**
	 * A bundle and the name it has in the application's {@link SslBundles} ({@code null} for inline configuration).
	 */
	record NamedBundle(String name, SslBundle bundle) {

		/** For messages: where the user configured it. */
		String source() {
			return (this.name != null) ? "SSL bundle '" + this.name + "'" : "server.ssl";
		}

	}

}
