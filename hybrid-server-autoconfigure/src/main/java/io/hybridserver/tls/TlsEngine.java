package io.hybridserver.tls;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * The TLS implementation a server really uses, resolved once from the configured {@link TlsProvider}: Netty's provider
 * constant, and a description for the startup log ("BoringSSL (netty-tcnative 2.0.84.Final)").
 */
public final class TlsEngine {

	private static final Log logger = LogFactory.getLog(TlsEngine.class);

	private final SslProvider nettyProvider;

	private final String description;

	private TlsEngine(SslProvider nettyProvider, String description) {
		this.nettyProvider = nettyProvider;
		this.description = description;
	}

	/**
	 * Resolves the configured provider.
	 * @throws InvalidTlsConfigurationException if BoringSSL was asked for and cannot load
	 */
	public static TlsEngine resolve(TlsProvider provider) {
		switch (provider) {
			case JDK:
				return jdk();
			case BORINGSSL:
				if (!OpenSsl.isAvailable()) {
					throw new InvalidTlsConfigurationException("server.hybrid.ssl.provider",
							"server.hybrid.ssl.provider=boringssl, but BoringSSL cannot load on this platform ("
									+ OpenSsl.unavailabilityCause() + "). Add netty-tcnative-boringssl-static for "
									+ "this OS and CPU, or set server.hybrid.ssl.provider=auto or jdk.",
							OpenSsl.unavailabilityCause());
				}
				return boringSsl();
			default:
				if (OpenSsl.isAvailable()) {
					return boringSsl();
				}
				// One warning, with the cause, so that a missing classifier jar is not a silent slowdown.
				logger.warn("BoringSSL is not available (" + OpenSsl.unavailabilityCause()
						+ "); TLS falls back to the JDK's engine. Set server.hybrid.ssl.provider=jdk to silence this.");
				return jdk();
		}
	}

	private static TlsEngine boringSsl() {
		// netty-tcnative's jars carry their version in the manifest only.
		String tcnative = io.netty.internal.tcnative.SSL.class.getPackage().getImplementationVersion();
		String library = OpenSsl.versionString();
		String artifact = (tcnative != null) ? "netty-tcnative " + tcnative : "netty-tcnative";
		// Reference-counted contexts: released explicitly on stop and reload instead of waiting for the GC.
		return new TlsEngine(SslProvider.OPENSSL_REFCNT, library + " (" + artifact + ")");
	}

	private static TlsEngine jdk() {
		return new TlsEngine(SslProvider.JDK, "JDK " + System.getProperty("java.version") + " SSLEngine");
	}

	/** Netty's provider constant for {@code SslContextBuilder}. */
	public SslProvider nettyProvider() {
		return this.nettyProvider;
	}

	/** Whether records and handshakes run in native code. */
	public boolean isNative() {
		return this.nettyProvider != SslProvider.JDK;
	}

	/** For logs: the library and its version. */
	public String description() {
		return this.description;
	}

	@Override
	public String toString() {
		return this.description;
	}

}
