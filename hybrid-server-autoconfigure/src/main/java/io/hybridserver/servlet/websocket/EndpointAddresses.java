package io.hybridserver.servlet.websocket;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The endpoint addresses a session shows in its user properties, under the names Jetty and Tomcat's client use
 * ({@code jakarta.websocket.endpoint.localAddress} and {@code .remoteAddress}, {@link InetSocketAddress} values), taken
 * from the handshake's HTTP/1.1 request: so they are what the request saw, the PROXY protocol header's client and
 * destination included, not the socket's peer (a load balancer).
 */
final class EndpointAddresses {

	/** The user property with the address the client connected to. */
	static final String LOCAL = "jakarta.websocket.endpoint.localAddress";

	/** The user property with the client's address. */
	static final String REMOTE = "jakarta.websocket.endpoint.remoteAddress";

	private EndpointAddresses() {
	}

	static Map<String, Object> of(HttpServletRequest request) {
		return Map.of(LOCAL, address(request.getLocalAddr(), request.getLocalPort()), REMOTE,
				address(request.getRemoteAddr(), request.getRemotePort()));
	}

	/** The request's addresses are IP literals, which resolve without a lookup; anything else stays unresolved. */
	private static InetSocketAddress address(String host, int port) {
		if (host == null || host.isEmpty() || !isIpLiteral(host)) {
			return InetSocketAddress.createUnresolved((host != null) ? host : "", Math.max(0, port));
		}
		try {
			return new InetSocketAddress(InetAddress.getByName(host), Math.max(0, port));
		}
		catch (UnknownHostException ex) {
			return InetSocketAddress.createUnresolved(host, Math.max(0, port));
		}
	}

	private static boolean isIpLiteral(String host) {
		if (host.indexOf(':') >= 0) {
			return true;
		}
		for (int i = 0; i < host.length(); i++) {
			char c = host.charAt(i);
			if (c != '.' && (c < '0' || c > '9')) {
				return false;
			}
		}
		return true;
	}

}
