package io.hybridserver.transport;

/**
 * Whether a listener expects a PROXY protocol header (v1 text or v2 binary, as HAProxy and L4 load balancers send it)
 * before the first byte of the connection's own protocol.
 */
public enum ProxyProtocolMode {

	/** No header is read: the connection starts with HTTP (or TLS). A header sent anyway is a bad request. */
	OFF,

	/**
	 * A header is used when the connection starts with one of the two signatures; otherwise the connection is served
	 * as if the mode were {@link #OFF}. For a migration, while some peers send it and others do not.
	 */
	OPTIONAL,

	/** Every connection must start with a header; one that does not is closed and counted. */
	REQUIRED

}
