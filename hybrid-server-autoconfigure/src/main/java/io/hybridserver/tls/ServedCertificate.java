package io.hybridserver.tls;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import org.springframework.boot.ssl.SslBundle;

/**
 * A certificate a TLS port presents, as an operator checks it: for which server name, from which bundle, whose it is,
 * the names it covers, and when it expires.
 * @param serverName the SNI name it is served for, or {@code null} for connections without a configured name
 * @param bundle the SSL bundle's name, or {@code null} when configured inline with {@code server.ssl.*}
 * @param subject the subject's distinguished name (RFC 2253)
 * @param issuer the issuer's distinguished name (RFC 2253)
 * @param subjectAlternativeNames the names it covers, as {@code DNS:name}, {@code IP:address}, and so on
 * @param notBefore when it became valid
 * @param notAfter when it expires
 */
public record ServedCertificate(String serverName, String bundle, String subject, String issuer,
		List<String> subjectAlternativeNames, Instant notBefore, Instant notAfter) {

	/** RFC 5280's GeneralName tags, for the prefixes of the subject alternative names. */
	private static final String[] NAME_TYPES = { "other", "email", "DNS", "X400", "DirName", "EDI", "URI", "IP",
			"RID" };

	/** The leaf certificate of the bundle's key (the key's alias, or the first key entry); none if it has no key. */
	static List<ServedCertificate> of(String serverName, String bundleName, SslBundle bundle) {
		try {
			KeyStore keyStore = bundle.getStores().getKeyStore();
			if (keyStore == null) {
				return List.of();
			}
			String alias = bundle.getKey().getAlias();
			if (alias == null) {
				alias = firstKeyAlias(keyStore);
			}
			Certificate[] chain = (alias != null) ? keyStore.getCertificateChain(alias) : null;
			if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
				return List.of();
			}
			return List.of(new ServedCertificate(serverName, bundleName,
					leaf.getSubjectX500Principal().getName(), leaf.getIssuerX500Principal().getName(),
					alternativeNames(leaf), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
		}
		catch (KeyStoreException ex) {
			return List.of();
		}
	}

	private static String firstKeyAlias(KeyStore keyStore) throws KeyStoreException {
		for (String alias : Collections.list(keyStore.aliases())) {
			if (keyStore.isKeyEntry(alias)) {
				return alias;
			}
		}
		return null;
	}

	private static List<String> alternativeNames(X509Certificate certificate) {
		Collection<List<?>> names;
		try {
			names = certificate.getSubjectAlternativeNames();
		}
		catch (CertificateParsingException ex) {
			return List.of();
		}
		if (names == null) {
			return List.of();
		}
		List<String> result = new ArrayList<>();
		for (List<?> name : names) {
			int type = (Integer) name.get(0);
			String prefix = (type >= 0 && type < NAME_TYPES.length) ? NAME_TYPES[type] : String.valueOf(type);
			Object value = name.get(1);
			result.add(prefix + ":" + ((value instanceof String text) ? text : "(binary)"));
		}
		return List.copyOf(result);
	}

}
