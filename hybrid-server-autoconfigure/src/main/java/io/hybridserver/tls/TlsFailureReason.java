package io.hybridserver.tls;

import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.util.Locale;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClosedEngineException;

/**
 * Why a handshake failed, in a few buckets: the {@code reason} tag of {@code hybrid.server.tls.handshakes}, so its
 * cardinality stays bounded whatever the peers send.
 */
public enum TlsFailureReason {

	/** The client did not finish the handshake within {@code server.hybrid.ssl.handshake-timeout}. */
	TIMEOUT,

	/** The client went away during the handshake. */
	CLOSED,

	/** The client spoke plain HTTP (or anything else but TLS) to the TLS port. */
	PLAINTEXT,

	/** A client certificate was needed and missing, or not trusted. */
	CERTIFICATE,

	/** No common protocol version or cipher suite, or a malformed handshake. */
	PROTOCOL;

	/** The tag value. */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Sorts a handshake failure's cause into a bucket. */
	public static TlsFailureReason of(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof NotSslRecordException) {
				return PLAINTEXT;
			}
			if (cause instanceof CertificateException) {
				return CERTIFICATE;
			}
			if (cause instanceof ClosedChannelException || cause instanceof SslClosedEngineException) {
				return CLOSED;
			}
		}
		String message = String.valueOf(failure.getMessage()).toUpperCase(Locale.ROOT);
		if (message.contains("CERTIFICATE")) {
			// BoringSSL: PEER_DID_NOT_RETURN_A_CERTIFICATE, CERTIFICATE_VERIFY_FAILED; JDK: "Empty client certificate chain"
			return CERTIFICATE;
		}
		if (message.contains("CLOSED") || message.contains("RESET") || message.contains("BROKEN PIPE")) {
			return CLOSED;
		}
		return PROTOCOL;
	}

}
