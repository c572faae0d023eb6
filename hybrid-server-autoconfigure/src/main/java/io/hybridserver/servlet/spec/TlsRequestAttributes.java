package io.hybridserver.servlet.spec;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.function.BiConsumer;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The request attributes the Servlet specification defines for requests that arrived over TLS (3.10): the client's
 * certificate chain (what Spring Security's X.509 authentication reads), the cipher suite, its key size, the session id
 * and the protocol. Computed on first use, because asking an engine for peer certificates that do not exist throws.
 */
final class TlsRequestAttributes {

	static final String PREFIX = "jakarta.servlet.request.";

	static final String CERTIFICATES = PREFIX + "X509Certificate";

	static final String CIPHER_SUITE = PREFIX + "cipher_suite";

	static final String KEY_SIZE = PREFIX + "key_size";

	static final String SESSION_ID = PREFIX + "ssl_session_id";

	static final String PROTOCOL = PREFIX + "secure_protocol";

	private TlsRequestAttributes() {
	}

	/** Puts the attributes of {@code session} into {@code attributes}, leaving out those with no value. */
	static void addTo(SSLSession session, BiConsumer<String, Object> attributes) {
		attributes.accept(CIPHER_SUITE, session.getCipherSuite());
		attributes.accept(PROTOCOL, session.getProtocol());
		attributes.accept(KEY_SIZE, keySize(session.getCipherSuite()));
		byte[] id = session.getId();
		if (id != null && id.length > 0) {
			attributes.accept(SESSION_ID, HexFormat.of().formatHex(id));
		}
		X509Certificate[] chain = peerCertificates(session);
		if (chain != null) {
			attributes.accept(CERTIFICATES, chain);
		}
	}

	private static X509Certificate[] peerCertificates(SSLSession session) {
		try {
			Certificate[] certificates = session.getPeerCertificates();
			X509Certificate[] chain = new X509Certificate[certificates.length];
			for (int i = 0; i < certificates.length; i++) {
				chain[i] = (X509Certificate) certificates[i];
			}
			return chain;
		}
		catch (SSLPeerUnverifiedException ex) {
			// The client sent no certificate (client-auth none or want).
			return null;
		}
	}

	/** The symmetric key size of a suite, from its IANA name (all the server's suites are AES-GCM or ChaCha20). */
	static int keySize(String cipherSuite) {
		if (cipherSuite.contains("AES_128")) {
			return 128;
		}
		if (cipherSuite.contains("AES_256") || cipherSuite.contains("CHACHA20")) {
			return 256;
		}
		return 0;
	}

}
