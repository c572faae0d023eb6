package io.hybridserver.boot;

import io.hybridserver.http.h3.Http3Stats;
import io.hybridserver.tls.TlsCredentials;

/**
 * What the QUIC listener needs from the server when it starts.
 * @param credentials the primary TLS port's credentials, which QUIC serves too
 * @param stats where the listener counts connections, handshakes and Retry
 */
record Http3Setup(TlsCredentials credentials, Http3Stats stats) {
}
