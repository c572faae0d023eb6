package io.hybridserver.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Provider resolution on a platform that has BoringSSL (the test classpath carries its natives).
 */
class TlsEngineTest {

	@Test
	void autoPrefersBoringSsl() {
		TlsEngine engine = TlsEngine.resolve(TlsProvider.AUTO);
		assertThat(engine.isNative()).isTrue();
		assertThat(engine.description()).startsWith("BoringSSL").containsPattern("netty-tcnative \\d+\\.\\d+");
	}

	@Test
	void jdkIsTheJdksEngine() {
		TlsEngine engine = TlsEngine.resolve(TlsProvider.JDK);
		assertThat(engine.isNative()).isFalse();
		assertThat(engine.description()).startsWith("JDK ");
	}

}
