package io.hybridserver.tls;

/**
 * Hears how each TLS handshake ended (the metrics binder counts and times them). Called on event loops: must be quick
 * and must not block.
 */
public interface TlsHandshakeListener {

	/** Hears nothing. */
	TlsHandshakeListener NONE = new TlsHandshakeListener() {

		@Override
		public void handshakeSucceeded(String protocol, String cipherSuite, boolean resumed, long durationNanos) {
		}

		@Override
		public void handshakeFailed(TlsFailureReason reason, long durationNanos) {
		}

	};

	/**
	 * @param protocol the negotiated version, for example {@code TLSv1.3}
	 * @param cipherSuite the negotiated suite, IANA name, for example {@code TLS_AES_128_GCM_SHA256}
	 * @param resumed whether the client resumed an earlier session (a ticket or a cached session id) rather than
	 * doing a full handshake with the certificate's signature
	 * @param durationNanos from the TCP connection's acceptance to the handshake's end
	 */
	void handshakeSucceeded(String protocol, String cipherSuite, boolean resumed, long durationNanos);

	/**
	 * @param reason why, in a bounded set
	 * @param durationNanos from the TCP connection's acceptance to the failure
	 */
	void handshakeFailed(TlsFailureReason reason, long durationNanos);

}
