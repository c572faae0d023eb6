package io.hybridserver.tls;

/**
 * Which TLS implementation encrypts connections ({@code server.hybrid.ssl.provider}).
 */
public enum TlsProvider {

	/** BoringSSL when its native library loads on this platform, else the JDK's engine with one warning. */
	AUTO,

	/** BoringSSL through netty-tcnative; startup fails when it cannot load. */
	BORINGSSL,

	/** The JDK's {@code SSLEngine}: slower handshakes and records, but no native code. */
	JDK

}
