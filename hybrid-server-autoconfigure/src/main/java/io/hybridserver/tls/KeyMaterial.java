package io.hybridserver.tls;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.ssl.SslBundle;

/**
 * The server's private key and certificate chain, taken out of an {@link SslBundle}'s key store.
 *
 * <p>Handing the key and chain to the TLS engine directly, instead of the bundle's {@code KeyManagerFactory}, lets
 * BoringSSL load them into native memory once; a key manager would be asked (and its answer converted) on every
 * handshake.
 *
 * @param privateKey the key that signs handshakes
 * @param chain the certificate chain, the server's own certificate first
 */
record KeyMaterial(PrivateKey privateKey, X509Certificate[] chain) {

	/**
	 * Reads the key entry the bundle's key alias names, or the store's first key entry when it names none.
	 * @param bundle the bundle
	 * @param source how the user configured it, for messages (for example "server.ssl" or "SSL bundle 'web'")
	 * @throws InvalidTlsConfigurationException if there is no key store, no such key entry, or the password is wrong
	 */
	static KeyMaterial from(SslBundle bundle, String source) {
		KeyStore store = bundle.getStores().getKeyStore();
		if (store == null) {
			throw new InvalidTlsConfigurationException("server.ssl.key-store", source + " has no key store, so the "
					+ "server has no certificate. Set server.ssl.key-store (JKS or PKCS12) or server.ssl.certificate "
					+ "and server.ssl.certificate-private-key (PEM), or name a bundle with a keystore.", null);
		}
		try {
			String alias = keyAlias(store, bundle.getKey().getAlias(), source);
			PrivateKey key = privateKey(store, alias, bundle, source);
			Certificate[] certificates = store.getCertificateChain(alias);
			if (certificates == null || certificates.length == 0) {
				throw new InvalidTlsConfigurationException("server.ssl.key-store",
						source + ": key entry '" + alias + "' has no certificate chain.", null);
			}
			X509Certificate[] chain = new X509Certificate[certificates.length];
			for (int i = 0; i < certificates.length; i++) {
				chain[i] = (X509Certificate) certificates[i];
			}
			return new KeyMaterial(key, chain);
		}
		catch (GeneralSecurityException ex) {
			throw new InvalidTlsConfigurationException("server.ssl.key-store",
					source + ": cannot read the key store: " + ex.getMessage(), ex);
		}
	}

	private static String keyAlias(KeyStore store, String configured, String source) throws GeneralSecurityException {
		List<String> keyEntries = new ArrayList<>();
		for (String alias : Collections.list(store.aliases())) {
			if (store.isKeyEntry(alias)) {
				keyEntries.add(alias);
			}
		}
		if (configured != null) {
			if (!store.containsAlias(configured) || !store.isKeyEntry(configured)) {
				// Boot's servers say it in these words (SslBundleKey.assertContainsAlias); tools search for them.
				throw new InvalidTlsConfigurationException("server.ssl.key-alias", "Keystore does not contain alias '"
						+ configured + "' (" + source + "; its key entries: " + keyEntries
						+ "). Correct server.ssl.key-alias (or the bundle's key.alias).", null);
			}
			return configured;
		}
		if (keyEntries.isEmpty()) {
			throw new InvalidTlsConfigurationException("server.ssl.key-store", source
					+ ": the key store holds no private key, only certificates. Use a key store with the server's "
					+ "private key and certificate.", null);
		}
		return keyEntries.get(0);
	}

	private static PrivateKey privateKey(KeyStore store, String alias, SslBundle bundle, String source)
			throws GeneralSecurityException {
		// Tomcat's rule: the key password, else the store password. PEM bundles keep their key under no password.
		Set<String> candidates = new LinkedHashSet<>(Arrays.asList(bundle.getKey().getPassword(),
				bundle.getStores().getKeyStorePassword(), ""));
		candidates.remove(null);
		UnrecoverableKeyException failure = null;
		for (String password : candidates) {
			try {
				Key key = store.getKey(alias, password.toCharArray());
				if (key instanceof PrivateKey privateKey) {
					return privateKey;
				}
			}
			catch (UnrecoverableKeyException ex) {
				failure = ex;
			}
		}
		throw new InvalidTlsConfigurationException("server.ssl.key-password", source + ": cannot recover the private "
				+ "key '" + alias + "' with the configured key password (or the key store password). Check "
				+ "server.ssl.key-password.", failure);
	}

}
