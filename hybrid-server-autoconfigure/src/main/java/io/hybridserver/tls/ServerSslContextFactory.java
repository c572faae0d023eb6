package io.hybridserver.tls;

import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Makes a Netty server {@link SslContext} from a Spring {@link SslBundle}: its key and chain, its protocols and ciphers
 * (or {@link TlsDefaults}), client authentication with its trust material, session resumption, and ALPN.
 */
final class ServerSslContextFactory {

	private static final Log logger = LogFactory.getLog(ServerSslContextFactory.class);

	/**
	 * ALPN: http/1.1 only, or h2 first when HTTP/2 is on (RFC 9113 3.2). A client that offers only protocols we lack is
	 * still served HTTP/1.1, as browsers and curl expect, rather than refused.
	 */
	private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
			ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
			ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_1_1);

	private static final ApplicationProtocolConfig ALPN_WITH_H2 = new ApplicationProtocolConfig(
			ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
			ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2,
			ApplicationProtocolNames.HTTP_1_1);

	private final TlsEngine engine;

	private final ClientAuth clientAuth;

	private final boolean http2;

	ServerSslContextFactory(TlsEngine engine, ClientAuth clientAuth, boolean http2) {
		this.engine = engine;
		this.clientAuth = clientAuth;
		this.http2 = http2;
	}

	/**
	 * @param bundle the certificate, key and options
	 * @param source how the user configured it, for messages
	 * @throws InvalidTlsConfigurationException if the bundle cannot make a working server context
	 */
	SslContext create(SslBundle bundle, String source) {
		KeyMaterial keys = KeyMaterial.from(bundle, source);
		SslOptions options = bundle.getOptions();
		List<String> protocols = TlsDefaults.protocols(options.getEnabledProtocols());
		List<String> ciphers = TlsDefaults.ciphers(options.getCiphers(), protocols);
		SslContextBuilder builder = SslContextBuilder.forServer(keys.privateKey(), keys.chain())
			.sslProvider(this.engine.nettyProvider())
			.protocols(protocols)
			.ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE)
			.sessionCacheSize(TlsDefaults.SESSION_CACHE_SIZE)
			.sessionTimeout(TlsDefaults.SESSION_TIMEOUT_SECONDS)
			.applicationProtocolConfig(this.http2 ? ALPN_WITH_H2 : ALPN)
			.clientAuth(this.clientAuth);
		if (this.clientAuth != ClientAuth.NONE) {
			builder.trustManager(bundle.getManagers().getTrustManagerFactory());
		}
		SslContext context;
		try {
			context = builder.build();
		}
		catch (SSLException | RuntimeException ex) {
			throw new InvalidTlsConfigurationException("server.ssl", source + ": " + this.engine.description()
					+ " refused the TLS settings: " + ex.getMessage()
					+ ". Check server.ssl.enabled-protocols and server.ssl.ciphers (or the bundle's options).", ex);
		}
		checkCiphers(context, options, source);
		return context;
	}

	/** Unknown cipher names are dropped with a warning; a list of nothing but unknown names is an error. */
	private void checkCiphers(SslContext context, SslOptions options, String source) {
		List<String> enabled = context.cipherSuites();
		if (enabled.isEmpty()) {
			io.netty.util.ReferenceCountUtil.release(context);
			throw new InvalidTlsConfigurationException("server.ssl.ciphers", source + ": none of the configured "
					+ "cipher suites is supported by " + this.engine.description()
					+ ". Use IANA names such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, or remove server.ssl.ciphers "
					+ "to use the safe defaults.", null);
		}
		if (options.getCiphers() != null) {
			List<String> dropped = new ArrayList<>();
			for (String cipher : options.getCiphers()) {
				if (!enabled.contains(cipher) && !TlsDefaults.TLS13_CIPHERS.contains(cipher)) {
					dropped.add(cipher);
				}
			}
			if (!dropped.isEmpty()) {
				logger.warn(source + ": cipher suites not supported by "
						+ this.engine.description() + " are ignored: " + dropped);
			}
		}
	}

}
