package io.hybridserver.servlet.spec;

import java.net.InetSocketAddress;

import io.hybridserver.http.Exchange;

/**
 * Where one request came from and which server it addressed: the TCP peer and local address from the exchange, the
 * server name and port from {@code Host}, and, when a trusted proxy forwarded the request and the deployment reads
 * forwarding headers, the client address, scheme, host and port the proxy reports ({@link ForwardedHeaders}).
 */
final class RequestAddresses {

	private final Exchange exchange;

	private final ForwardedHeaders forwardedHeaders;

	private ForwardedHeaders.Origin origin;

	private boolean originResolved;

	RequestAddresses(Exchange exchange, ForwardedHeaders forwardedHeaders) {
		this.exchange = exchange;
		this.forwardedHeaders = forwardedHeaders;
	}

	/** What a trusted proxy said about the original request, or {@code null}; resolved once. */
	private ForwardedHeaders.Origin origin() {
		if (!this.originResolved) {
			this.origin = (this.forwardedHeaders != null)
					? this.forwardedHeaders.resolve(peerAddress(), this.exchange.requestHeaders()) : null;
			this.originResolved = true;
		}
		return this.origin;
	}

	private String peerAddress() {
		return this.exchange.remoteHostAddress();
	}

	private static String address(InetSocketAddress socket) {
		return (socket.getAddress() != null) ? socket.getAddress().getHostAddress() : socket.getHostString();
	}

	String scheme() {
		ForwardedHeaders.Origin forwarded = origin();
		return (forwarded != null && forwarded.scheme() != null) ? forwarded.scheme() : this.exchange.scheme();
	}

	boolean isSecure() {
		return "https".equalsIgnoreCase(scheme());
	}

	/** The client address a trusted proxy reported, or {@code null} when none did (or headers are not read). */
	String forwardedRemoteAddr() {
		ForwardedHeaders.Origin forwarded = origin();
		return (forwarded != null) ? forwarded.remoteAddr() : null;
	}

	String remoteAddr() {
		ForwardedHeaders.Origin forwarded = origin();
		return (forwarded != null && forwarded.remoteAddr() != null) ? forwarded.remoteAddr() : peerAddress();
	}

	int remotePort() {
		return this.exchange.remoteAddress().getPort();
	}

	String localName() {
		return this.exchange.localAddress().getHostString();
	}

	String localAddr() {
		return address(this.exchange.localAddress());
	}

	int localPort() {
		return this.exchange.localAddress().getPort();
	}

	String serverName() {
		ForwardedHeaders.Origin forwarded = origin();
		if (forwarded != null && forwarded.host() != null) {
			return forwarded.host();
		}
		String host = this.exchange.requestHeaders().get("Host");
		if (host == null || host.isBlank()) {
			return localName();
		}
		host = host.trim();
		if (host.startsWith("[")) {
			int close = host.indexOf(']');
			return (close > 0) ? host.substring(1, close) : host;
		}
		int colon = host.indexOf(':');
		return (colon >= 0) ? host.substring(0, colon) : host;
	}

	int serverPort() {
		ForwardedHeaders.Origin forwarded = origin();
		if (forwarded != null && forwarded.port() > 0) {
			return forwarded.port();
		}
		String host = this.exchange.requestHeaders().get("Host");
		if (host == null || host.isBlank()) {
			return localPort();
		}
		host = host.trim();
		int colon = host.lastIndexOf(':');
		if (colon >= 0 && colon > host.lastIndexOf(']')) {
			try {
				return Integer.parseInt(host.substring(colon + 1));
			}
			catch (NumberFormatException ex) {
				return localPort();
			}
		}
		return isSecure() ? 443 : 80;
	}

	/** Scheme, host and port as the client addressed them, the port left out when it is the scheme's default. */
	StringBuffer url(String requestUri) {
		StringBuffer url = new StringBuffer(64);
		String scheme = scheme();
		int port = serverPort();
		String host = serverName();
		url.append(scheme).append("://").append((host.indexOf(':') >= 0) ? "[" + host + "]" : host);
		if (!(("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443))) {
			url.append(':').append(port);
		}
		return url.append(requestUri);
	}

}
