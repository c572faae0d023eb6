package io.hybridserver.tls;

import java.time.Duration;

/**
 * The engine side of TLS ({@code server.hybrid.ssl.*}): which implementation, how long a handshake may take, and how
 * often session ticket keys are replaced. What
 * to serve (certificates, protocols, ciphers, client authentication) comes from Spring's {@code server.ssl.*} and SSL
 * bundles, see {@link TlsCredentials}.
 */
public final class TlsSettings {

	private TlsProvider provider = TlsProvider.AUTO;

	private Duration handshakeTimeout = Duration.ofSeconds(10);

	private boolean http2;

	private Duration sessionTicketKeyRotation = Duration.ofHours(1);

	private boolean sessionTickets = true;

	public TlsProvider getProvider() {
		return this.provider;
	}

	public void setProvider(TlsProvider provider) {
		this.provider = provider;
	}

	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = handshakeTimeout;
	}

	/** How often BoringSSL's ticket encryption key is replaced; the previous one still decrypts for a period. */
	public Duration getSessionTicketKeyRotation() {
		return this.sessionTicketKeyRotation;
	}

	public void setSessionTicketKeyRotation(Duration sessionTicketKeyRotation) {
		this.sessionTicketKeyRotation = sessionTicketKeyRotation;
	}

	/**
	 * Whether BoringSSL issues session tickets (with our rotating keys). Off only for SSL session tracking: a TLS 1.2
	 * session resumed from a ticket has no session id, and that id is what identifies the servlet session; resumption
	 * then goes through the server's session cache.
	 */
	public boolean isSessionTickets() {
		return this.sessionTickets;
	}

	public void setSessionTickets(boolean sessionTickets) {
		this.sessionTickets = sessionTickets;
	}

	/** Whether ALPN offers {@code h2} before {@code http/1.1} (set from {@code server.http2.enabled}). */
	public boolean isHttp2() {
		return this.http2;
	}

	public void setHttp2(boolean http2) {
		this.http2 = http2;
	}

	/**
	 * @throws InvalidTlsConfigurationException naming the property that is out of range
	 */
	public void validate() {
		if (this.provider == null) {
			throw new InvalidTlsConfigurationException("server.hybrid.ssl.provider",
					"server.hybrid.ssl.provider must be auto, boringssl or jdk", null);
		}
		if (this.handshakeTimeout == null || this.handshakeTimeout.isNegative() || this.handshakeTimeout.isZero()) {
			throw new InvalidTlsConfigurationException("server.hybrid.ssl.handshake-timeout",
					"server.hybrid.ssl.handshake-timeout must be positive (for example 10s), was "
							+ this.handshakeTimeout, null);
		}
		if (this.sessionTicketKeyRotation == null
				|| this.sessionTicketKeyRotation.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new InvalidTlsConfigurationException("server.hybrid.ssl.session-ticket-key-rotation",
					"server.hybrid.ssl.session-ticket-key-rotation must be at least 1s (default 1h), was "
							+ this.sessionTicketKeyRotation, null);
		}
	}

}
