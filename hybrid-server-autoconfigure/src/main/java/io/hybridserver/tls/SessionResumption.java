package io.hybridserver.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;

/**
 * Tells whether a finished handshake resumed an earlier session (a session ticket, a TLS 1.3 pre-shared key or a cached
 * session id) instead of doing a full one, for the {@code resumed} tag of the handshake meters.
 */
final class SessionResumption {

	private SessionResumption() {
	}

	/**
	 * @param engine the engine whose handshake just succeeded
	 * @param handshakeStartMillis wall-clock time at which the connection was accepted
	 */
	static boolean isResumed(SSLEngine engine, long handshakeStartMillis) {
		if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
			return Native.isResumed(openSsl);
		}
		// The JDK has no such question. A resumed session is the earlier one (TLS 1.2's cache) or rebuilt from the
		// ticket (TLS 1.3), and keeps its creation time, which is older than this connection; a full handshake makes a
		// session during the handshake. Same millisecond counts as new.
		SSLSession session = engine.getSession();
		return session.getCreationTime() < handshakeStartMillis;
	}

	/** Apart, so that the tcnative class is loaded only where BoringSSL runs. */
	private static final class Native {

		static boolean isResumed(ReferenceCountedOpenSslEngine engine) {
			synchronized (engine) {
				long ssl = engine.sslPointer();
				return ssl != 0 && SSL.isSessionReused(ssl);
			}
		}

	}

}
