package io.hybridserver.tls;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslEngine;
import org.springframework.boot.ssl.SslBundle;

/**
 * TLS for the QUIC listener (HTTP/3): its context, made by {@link QuicTlsContextFactory} from the same
 * {@link TlsCredentials} as the TCP port's, and made again when a named bundle they use is updated
 * ({@code reload-on-update}), so that new QUIC connections present the new certificate as new TCP connections do
 * ({@link ServerTls} swaps its own contexts on the same update).
 *
 * <p>Each connection gets its engine from the context current when its first packet arrives and keeps it: open
 * connections are untouched by a reload. QUIC's contexts are not counted references as the TCP ones are:
 * netty-codec-native-quic frees a context's native memory once the context is unreachable and no connection made with
 * it remains, so replacing one is all a reload has to do.
 */
public final class QuicTls {

	private static final Log logger = LogFactory.getLog(QuicTls.class);

	private final boolean earlyData;

	private final String[] applicationProtocols;

	private final Object monitor = new Object();

	/** Guarded by the monitor: what the next reload starts from. */
	private TlsCredentials credentials;

	private volatile QuicSslContext current;

	/**
	 * Builds the context, so that bad configuration fails here, at startup, and listens for bundle updates.
	 * @param credentials what the TCP port serves
	 * @param earlyData whether 0-RTT data is accepted
	 * @param applicationProtocols the ALPN identifiers offered, {@code h3} first
	 * @throws InvalidTlsConfigurationException if a bundle has no usable key
	 */
	public QuicTls(TlsCredentials credentials, boolean earlyData, String... applicationProtocols) {
		this.earlyData = earlyData;
		this.applicationProtocols = applicationProtocols.clone();
		this.credentials = credentials;
		this.current = QuicTlsContextFactory.forServer(credentials, earlyData, this.applicationProtocols);
		credentials.onBundleUpdate(this::bundleUpdated);
	}

	/** The TLS engine of a new QUIC connection, from the current context (the codec's {@code sslEngineProvider}). */
	public QuicSslEngine newEngine(QuicChannel connection) {
		return this.current.newEngine(connection.alloc());
	}

	/** The current context, for tests in this package. */
	QuicSslContext current() {
		return this.current;
	}

	private void bundleUpdated(String name, SslBundle bundle) {
		synchronized (this.monitor) {
			this.credentials = this.credentials.withUpdatedBundle(name, bundle);
			try {
				this.current = QuicTlsContextFactory.forServer(this.credentials, this.earlyData,
						this.applicationProtocols);
			}
			catch (RuntimeException ex) {
				logger.error("SSL bundle '" + name + "' was updated, but its new content cannot be used; new QUIC "
						+ "(HTTP/3) connections keep the previous certificate: " + ex.getMessage(), ex);
				return;
			}
		}
		logger.info("SSL bundle '" + name + "' was updated; new QUIC (HTTP/3) connections use its new certificate");
	}

}
