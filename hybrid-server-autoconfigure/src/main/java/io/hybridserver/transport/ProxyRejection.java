package io.hybridserver.transport;

/** Why a listener closed a connection while reading its PROXY protocol header. */
public enum ProxyRejection {

	/**
	 * The header was malformed (bad signature, wrong length, unknown version, family or command, a v1 line over 107
	 * bytes, cut short by the client), or missing on a listener that requires one.
	 */
	MALFORMED,

	/** A peer outside the trusted sources sent a header. */
	UNTRUSTED,

	/** The header did not arrive in full within its timeout. */
	TIMEOUT

}
