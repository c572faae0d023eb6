package io.hybridserver.tls;

/**
 * {@link TlsServerTest} on BoringSSL.
 */
class BoringSslTlsServerTest extends TlsServerTest {

	@Override
	TlsProvider provider() {
		return TlsProvider.BORINGSSL;
	}

}
