package io.hybridserver.tls;

/**
 * {@link TlsServerTest} on the JDK's {@code SSLEngine}: the same credentials must behave the same.
 */
class JdkTlsServerTest extends TlsServerTest {

	@Override
	TlsProvider provider() {
		return TlsProvider.JDK;
	}

}
