package io.hybridserver.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * The addresses a connection's requests report: the socket's own, or those a PROXY protocol header gave, plus what
 * else the header said (its TLVs) as named attributes. The HTTP layers ask here instead of the channel, so that they
 * never need to know whether a proxy or a Unix socket is in between.
 *
 * <p>A Unix domain socket has no IP addresses. Its peer is a process on this machine, so both ends report the IPv4
 * loopback address with port 0: checks that trust local clients ({@code 127.0.0.1}, Spring Boot's default internal
 * proxies for forwarding headers) then treat it as what it is, and nothing mistakes the socket's path for a host.
 *
 * @param remote the client's address
 * @param local the address the client connected to
 * @param attributes what the PROXY header carried beyond the addresses (see {@link ProxyHeaderAttributes}), else empty
 */
public record ConnectionAddresses(InetSocketAddress remote, InetSocketAddress local, Map<String, Object> attributes) {

	private static final AttributeKey<ConnectionAddresses> KEY = AttributeKey.valueOf(ConnectionAddresses.class,
			"addresses");

	/** What a Unix domain socket's two ends report. */
	public static final InetSocketAddress UNIX_SOCKET_PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

	public ConnectionAddresses {
		attributes = Map.copyOf(attributes);
	}

	/** Makes these the connection's addresses (the PROXY header's). */
	static void set(Channel channel, ConnectionAddresses addresses) {
		channel.attr(KEY).set(addresses);
	}

	/** The client's address: the PROXY header's source, else the socket's peer. Safe from any thread. */
	public static InetSocketAddress remote(Channel channel) {
		ConnectionAddresses proxied = channel.attr(KEY).get();
		if (proxied != null) {
			return proxied.remote();
		}
		return (channel.remoteAddress() instanceof InetSocketAddress inet) ? inet : UNIX_SOCKET_PEER;
	}

	/** The address the client connected to: the PROXY header's destination, else the socket's. Safe from any thread. */
	public static InetSocketAddress local(Channel channel) {
		ConnectionAddresses proxied = channel.attr(KEY).get();
		if (proxied != null) {
			return proxied.local();
		}
		return (channel.localAddress() instanceof InetSocketAddress inet) ? inet : UNIX_SOCKET_PEER;
	}

	/**
	 * Whether a PROXY v2 header said that the client reached the proxy over TLS ({@code PP2_CLIENT_SSL} in its
	 * {@code PP2_TYPE_SSL} field), so that the request's scheme is {@code https} as a trusted proxy's
	 * {@code X-Forwarded-Proto: https} would make it. Only trusted sources get a header read at all (see
	 * {@link ProxyProtocolSettings#trusts}), so only they can say it. Safe from any thread.
	 */
	public static boolean clientOverTls(Channel channel) {
		ConnectionAddresses proxied = channel.attr(KEY).get();
		return proxied != null && Boolean.TRUE.equals(proxied.attributes().get(ProxyHeaderAttributes.SSL));
	}

	/** What the PROXY header carried beyond the addresses; empty without one. Safe from any thread. */
	public static Map<String, Object> attributes(Channel channel) {
		ConnectionAddresses proxied = channel.attr(KEY).get();
		return (proxied != null) ? proxied.attributes() : Map.of();
	}

}
