package io.hybridserver.tls;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;

import io.hybridserver.tls.TlsCredentials.NamedBundle;

/**
 * The TLS 1.3 context of a QUIC listener (HTTP/3), built from the same {@link TlsCredentials} as the TCP listener it
 * stands beside, so that both serve one certificate. QUIC carries its own BoringSSL (netty-codec-native-quic), so
 * this is a context of its own, not the TCP listener's.
 */
public final class QuicTlsContextFactory {

	private QuicTlsContextFactory() {
	}

	/**
	 * @param credentials what the TCP listener serves (its default bundle; server-name bundles are not used over QUIC
	 *     yet)
	 * @param earlyData whether 0-RTT data is accepted (replayable: off unless the user accepts the risk)
	 * @param applicationProtocols the ALPN identifiers offered, {@code h3} first
	 * @throws InvalidTlsConfigurationException if the bundle has no usable key
	 */
	public static QuicSslContext forServer(TlsCredentials credentials, boolean earlyData,
			String... applicationProtocols) {
		NamedBundle bundle = credentials.defaultBundle();
		KeyMaterial key = KeyMaterial.from(bundle.bundle(), bundle.source());
		QuicSslContextBuilder builder = QuicSslContextBuilder.forServer(key.privateKey(), null, key.chain())
			.applicationProtocols(applicationProtocols)
			.earlyData(earlyData);
		ClientAuth clientAuth = credentials.clientAuth();
		if (clientAuth != ClientAuth.NONE) {
			builder.clientAuth(clientAuth)
				.trustManager(bundle.bundle().getManagers().getTrustManagerFactory());
		}
		return builder.build();
	}

	/** Whether the credentials name bundles per server name, which the QUIC listener does not choose between yet. */
	public static boolean usesServerNames(TlsCredentials credentials) {
		return !credentials.serverNameBundles().isEmpty();
	}

}
