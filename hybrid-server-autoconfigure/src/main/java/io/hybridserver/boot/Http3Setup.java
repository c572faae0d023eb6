package io.hybridserver.boot;

import io.hybridserver.http.h3.Http3Stats;
import io.hybridserver.tls.QuicTls;

/**
 * What the QUIC listener needs from the server when it starts.
 * @param tls the QUIC listener's TLS, made from the primary TLS port's credentials
 * @param stats where the listener counts connections, handshakes and Retry
 */
record Http3Setup(QuicTls tls, Http3Stats stats) {
}
