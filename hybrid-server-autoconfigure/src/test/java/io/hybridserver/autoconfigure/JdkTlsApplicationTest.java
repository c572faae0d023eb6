package io.hybridserver.autoconfigure;

/**
 * {@link TlsApplicationTest} with {@code server.hybrid.ssl.provider=jdk}: the same properties and bundles must work.
 */
class JdkTlsApplicationTest extends TlsApplicationTest {

	@Override
	String provider() {
		return "jdk";
	}

	@Override
	String engineInLog() {
		return "JDK";
	}

}
