package io.hybridserver.transport;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * How one listener treats the PROXY protocol: the mode, who may send a header, and how long a header may take.
 * @param mode off, optional or required
 * @param trustedSources the peers allowed to send a header; a header from anyone else closes the connection. Empty
 * means every peer, which is only safe when nothing but the proxy can reach the listener (a Unix socket, a private
 * network).
 * @param headerTimeout how long the header may take to arrive in full
 */
public record ProxyProtocolSettings(ProxyProtocolMode mode, List<CidrRange> trustedSources, Duration headerTimeout) {

	/** The default time a header may take: a proxy sends it at once, with or before its first bytes. */
	public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);

	/** No PROXY protocol. */
	public static final ProxyProtocolSettings OFF = new ProxyProtocolSettings(ProxyProtocolMode.OFF, List.of(),
			DEFAULT_HEADER_TIMEOUT);

	public ProxyProtocolSettings {
		mode = (mode != null) ? mode : ProxyProtocolMode.OFF;
		trustedSources = (trustedSources != null) ? List.copyOf(trustedSources) : List.of();
		headerTimeout = (headerTimeout != null) ? headerTimeout : DEFAULT_HEADER_TIMEOUT;
		if (headerTimeout.isNegative() || headerTimeout.isZero()) {
			throw new IllegalArgumentException("the PROXY header timeout must be positive, was " + headerTimeout);
		}
	}

	/** Whether a header is read at all. */
	public boolean enabled() {
		return this.mode != ProxyProtocolMode.OFF;
	}

	/**
	 * Whether a peer may send a header. A peer without an IP address (a Unix socket's) is trusted: only processes
	 * the socket file's permissions admit can connect.
	 */
	public boolean trusts(InetAddress peer) {
		if (this.trustedSources.isEmpty() || peer == null) {
			return true;
		}
		for (CidrRange range : this.trustedSources) {
			if (range.contains(peer)) {
				return true;
			}
		}
		return false;
	}

}
