package io.hybridserver.tls;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The protocol versions and cipher suites a server uses when its bundle does not name them, and the rule that keeps a
 * configured cipher list from switching TLS 1.3 off.
 *
 * <p>The defaults follow Mozilla's "intermediate" server profile without its DHE suites: TLS 1.2 and 1.3 only; on
 * TLS 1.2 only ECDHE key exchange (forward secrecy) with AEAD ciphers (AES-GCM, ChaCha20-Poly1305). No CBC, no static
 * RSA key exchange, no finite-field DHE (slow, and attackable with weak groups).
 */
public final class TlsDefaults {

	/** TLS 1.3 first: offered and preferred; TLS 1.2 for older clients. */
	public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

	/** The TLS 1.3 suites (BoringSSL always enables all three and cannot be told otherwise). */
	public static final List<String> TLS13_CIPHERS = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
			"TLS_CHACHA20_POLY1305_SHA256");

	/** Mozilla intermediate's TLS 1.2 suites, ECDHE only, in its order of preference. */
	public static final List<String> TLS12_CIPHERS = List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
			"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
			"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
			"TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

	/** Session cache entries per context: about 20k resumable sessions, a few MiB of native memory. */
	static final long SESSION_CACHE_SIZE = 20_480;

	/** How long a session (cached or ticket) may be resumed, in seconds. */
	static final long SESSION_TIMEOUT_SECONDS = 3_600;

	private TlsDefaults() {
	}

	/** The protocols to enable: the configured ones, or {@link #PROTOCOLS}. */
	public static List<String> protocols(String[] configured) {
		if (configured == null || configured.length == 0) {
			return PROTOCOLS;
		}
		return List.copyOf(new LinkedHashSet<>(Arrays.asList(configured)));
	}

	/**
	 * The cipher suites to enable. Without a configured list, the defaults. With one, that list, plus the TLS 1.3
	 * suites when TLS 1.3 is enabled and the list names none of them: lists written for TLS 1.2 (as most are) would
	 * otherwise leave TLS 1.3 without a cipher and switch it off without a word.
	 */
	public static List<String> ciphers(String[] configured, List<String> protocols) {
		if (configured == null || configured.length == 0) {
			List<String> all = new ArrayList<>(TLS13_CIPHERS);
			all.addAll(TLS12_CIPHERS);
			return Collections.unmodifiableList(all);
		}
		Set<String> ciphers = new LinkedHashSet<>();
		boolean namesTls13Suite = Arrays.stream(configured).anyMatch(TLS13_CIPHERS::contains);
		if (protocols.contains("TLSv1.3") && !namesTls13Suite) {
			ciphers.addAll(TLS13_CIPHERS);
		}
		ciphers.addAll(Arrays.asList(configured));
		return List.copyOf(ciphers);
	}

}
