package io.hybridserver.tls;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.ReferenceCounted;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The life of native TLS contexts: a reload swaps them for new connections, and every generation is freed exactly
 * when the server and the last connection made with it have let go.
 */
class ServerTlsTest {

	private static TlsSettings boringSsl() {
		TlsSettings settings = new TlsSettings();
		settings.setProvider(TlsProvider.BORINGSSL);
		return settings;
	}

	/** A server for bundle "web" (the test server certificate), listening for its updates. */
	private static ServerTls servingBundleWeb(DefaultSslBundleRegistry registry) {
		registry.registerBundle("web", TestTls.bundle("server"));
		return new ServerTls(TlsCredentials.of(registry.getBundle("web"), "web", ClientAuth.NONE, registry),
				boringSsl());
	}

	@Test
	void aReloadServesNewConnectionsAndFreesTheOldContextsWhenTheirLastConnectionCloses() {
		DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
		ServerTls tls = servingBundleWeb(registry);
		TlsContexts first = tls.current();
		ReferenceCounted firstNative = (ReferenceCounted) first.defaultContext();
		EmbeddedChannel openConnection = new EmbeddedChannel();
		tls.install(openConnection);
		assertThat(first.refCnt()).isEqualTo(2);

		registry.updateBundle("web", TestTls.bundle("server-renewed"));
		TlsContexts second = tls.current();
		assertThat(second).isNotSameAs(first);
		assertThat(first.refCnt()).as("still used by the open connection").isEqualTo(1);
		assertThat(firstNative.refCnt()).isPositive();

		openConnection.close();
		assertThat(first.refCnt()).isZero();
		assertThat(firstNative.refCnt()).as("native context freed with its last engine").isZero();

		ReferenceCounted secondNative = (ReferenceCounted) second.defaultContext();
		tls.stop();
		assertThat(second.refCnt()).isZero();
		assertThat(secondNative.refCnt()).isZero();
		assertThat(tls.current()).isNull();
	}

	@Test
	void aConnectionAfterStopIsClosedAndAStartBuildsFreshContexts() {
		ServerTls tls = new ServerTls(TestTls.credentials(ClientAuth.NONE), boringSsl());
		tls.stop();
		EmbeddedChannel late = new EmbeddedChannel();
		tls.install(late);
		assertThat(late.isOpen()).isFalse();
		tls.start();
		TlsContexts restarted = tls.current();
		assertThat(restarted.refCnt()).isEqualTo(1);
		tls.stop();
		assertThat(restarted.refCnt()).isZero();
	}

	@Test
	void anUnusableUpdateKeepsThePreviousCertificate() {
		DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
		ServerTls tls = servingBundleWeb(registry);
		TlsContexts first = tls.current();
		// A bundle whose store holds no key: what a half-written key file looks like after parsing.
		registry.updateBundle("web", org.springframework.boot.ssl.SslBundle.of(
				new org.springframework.boot.ssl.pem.PemSslStoreBundle(null,
						org.springframework.boot.ssl.pem.PemSslStoreDetails.forCertificate("classpath:tls/ca.pem"))));
		assertThat(tls.current()).isSameAs(first);
		assertThat(first.refCnt()).isEqualTo(1);
		tls.stop();
	}

}
