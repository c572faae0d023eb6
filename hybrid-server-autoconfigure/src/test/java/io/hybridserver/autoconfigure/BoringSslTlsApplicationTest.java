package io.hybridserver.autoconfigure;

/**
 * {@link TlsApplicationTest} with {@code server.hybrid.ssl.provider=boringssl}.
 */
class BoringSslTlsApplicationTest extends TlsApplicationTest {

	@Override
	String provider() {
		return "boringssl";
	}

	@Override
	String engineInLog() {
		return "BoringSSL";
	}

}
