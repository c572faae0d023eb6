package io.hybridserver.transport;

import java.time.Duration;

/**
 * Whether a TLS listener also serves clear text on the same port, told apart by the connection's first bytes (see
 * {@link ProtocolDetector}), and how long those bytes may take.
 * @param enabled whether the first bytes choose between TLS and clear text; off, a TLS port answers clear-text HTTP
 * with a {@code 400}
 * @param timeout how long a new connection may take to send enough bytes to tell; then it is closed
 */
public record ProtocolDetectionSettings(boolean enabled, Duration timeout) {

	/**
	 * The default time the first bytes may take: the TLS handshake's default timeout, so that a detecting port closes
	 * a silent client no sooner than a TLS-only port does (browsers open connections ahead of need and wait).
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** No detection: the listener speaks the one protocol it is configured for. */
	public static final ProtocolDetectionSettings OFF = new ProtocolDetectionSettings(false, DEFAULT_TIMEOUT);

	public ProtocolDetectionSettings {
		timeout = (timeout != null) ? timeout : DEFAULT_TIMEOUT;
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("the protocol detection timeout must be positive, was " + timeout);
		}
	}

}
