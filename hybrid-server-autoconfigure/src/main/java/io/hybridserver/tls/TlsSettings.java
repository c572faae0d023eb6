package io.hybridserver.tls;

import java.time.Duration;

/**
 * The engine side of TLS ({@code server.hybrid.ssl.*}): which implementation, and how long a handshake may take. What
 * to serve (certificates, protocols, ciphers, client authentication) comes from Spring's {@code server.ssl.*} and SSL
 * bundles, see {@link TlsCredentials}.
 */
public final class TlsSettings {

	private TlsProvider provider = TlsProvider.AUTO;

	private Duration handshakeTimeout = Duration.ofSeconds(10);

	private boolean http2;

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
	}

}
