package io.hybridserver.tls;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.DomainWildcardMappingBuilder;

import io.hybridserver.tls.TlsCredentials.NamedBundle;

/**
 * The TLS 1.3 context of a QUIC listener (HTTP/3), built from the same {@link TlsCredentials} as the TCP listener it
 * stands beside, so that both serve the same certificates: the default bundle, and a bundle per server name (SNI) as
 * {@code server.ssl.server-name-bundles} configures them. QUIC carries its own BoringSSL (netty-codec-native-quic), so
 * these are contexts of their own, not the TCP listener's.
 */
public final class QuicTlsContextFactory {

	private QuicTlsContextFactory() {
	}

	/**
	 * @param credentials what the TCP listener serves
	 * @param earlyData whether 0-RTT data is accepted (replayable: off unless the user accepts the risk)
	 * @param applicationProtocols the ALPN identifiers offered, {@code h3} first
	 * @throws InvalidTlsConfigurationException if a bundle has no usable key
	 */
	public static QuicSslContext forServer(TlsCredentials credentials, boolean earlyData,
			String... applicationProtocols) {
		QuicSslContext defaults = builder(credentials.defaultBundle(), credentials.clientAuth(), earlyData,
				applicationProtocols).build();
		if (credentials.serverNameBundles().isEmpty()) {
			return defaults;
		}
		// BoringSSL's server-name callback picks the context, as SniHandler does on TCP: wildcards (*.example.com)
		// match as there, and a client that sends another name or none (one that connects to an IP address) gets the
		// default bundle.
		DomainWildcardMappingBuilder<QuicSslContext> names = new DomainWildcardMappingBuilder<>(defaults);
		credentials.serverNameBundles()
			.forEach((serverName, bundle) -> names.add(serverName,
					builder(bundle, credentials.clientAuth(), earlyData, applicationProtocols).build()));
		return QuicSslContextBuilder.buildForServerWithSni(names.build());
	}

	private static QuicSslContextBuilder builder(NamedBundle bundle, ClientAuth clientAuth, boolean earlyData,
			String... applicationProtocols) {
		KeyMaterial key = KeyMaterial.from(bundle.bundle(), bundle.source());
		QuicSslContextBuilder builder = QuicSslContextBuilder.forServer(key.privateKey(), null, key.chain())
			.applicationProtocols(applicationProtocols)
			.earlyData(earlyData);
		if (clientAuth != ClientAuth.NONE) {
			builder.clientAuth(clientAuth).trustManager(bundle.bundle().getManagers().getTrustManagerFactory());
		}
		return builder;
	}

}
