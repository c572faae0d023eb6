package io.hybridserver.servlet.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.hybridserver.http.HttpFields;

/**
 * What a trusted reverse proxy says about the original request ({@code server.forward-headers-strategy=native}):
 * the client's address, the scheme, host and port it used. Read from RFC 7239 {@code Forwarded} when present, else
 * from {@code X-Forwarded-For}, {@code -Proto}, {@code -Host} and {@code -Port}, or the headers {@link Names} says
 * the proxies write instead.
 *
 * <p>Trust works as in Tomcat's remote-IP handling: the headers count only when the TCP peer is an internal or a
 * trusted proxy; the forwarded-for chain is read from the right, skipping internal and trusted proxies, and the first
 * other address is the client. Anything a client could forge through an untrusted hop is ignored.
 */
public final class ForwardedHeaders {

	/**
	 * Loopback, RFC 1918, link-local, carrier-grade NAT (100.64/10) and IPv6 loopback, link-local and unique-local
	 * addresses: the networks a reverse proxy usually sits in.
	 */
	public static final String DEFAULT_INTERNAL_PROXIES = "10(\\.\\d{1,3}){3}" + "|192\\.168(\\.\\d{1,3}){2}"
			+ "|169\\.254(\\.\\d{1,3}){2}" + "|127(\\.\\d{1,3}){3}" + "|172\\.(1[6-9]|2\\d|3[01])(\\.\\d{1,3}){2}"
			+ "|100\\.(6[4-9]|[7-9]\\d|1[01]\\d|12[0-7])(\\.\\d{1,3}){2}" + "|0:0:0:0:0:0:0:1|::1"
			+ "|fe[89ab]\\p{XDigit}:.*" + "|f[cd]\\p{XDigit}{2}:.*";

	/** The original request as the proxy saw it; a {@code null} field means "as received". */
	public record Origin(String remoteAddr, String scheme, String host, int port) {
	}

	/**
	 * Which headers the proxies write, as Tomcat's remote-IP valve names them. {@code remoteIpHeader} may hold one
	 * address ({@code X-Real-IP}, {@code CF-Connecting-IP}) or a chain ({@code X-Forwarded-For}). A protocol header
	 * whose value equals {@code protocolHeaderHttpsValue} (ignoring case) means https, any other value http.
	 */
	public record Names(String remoteIpHeader, String protocolHeader, String protocolHeaderHttpsValue,
			String hostHeader, String portHeader) {

		/** The {@code X-Forwarded-*} family, Tomcat's defaults. */
		public static final Names DEFAULT = new Names("X-Forwarded-For", "X-Forwarded-Proto", "https",
				"X-Forwarded-Host", "X-Forwarded-Port");

		public Names {
			if (remoteIpHeader == null || remoteIpHeader.isBlank()) {
				throw new IllegalArgumentException("the remote IP header must be named");
			}
			protocolHeaderHttpsValue = (protocolHeaderHttpsValue != null) ? protocolHeaderHttpsValue : "https";
		}

		/**
		 * Whether RFC 7239 {@code Forwarded} is read before the named headers: only while the client address comes from
		 * {@code X-Forwarded-For}. A proxy configured to write another header ({@code CF-Connecting-IP}) usually passes
		 * a client's own {@code Forwarded} through untouched, and believing it would let the client choose its address.
		 */
		boolean readsForwarded() {
			return "X-Forwarded-For".equalsIgnoreCase(this.remoteIpHeader);
		}

	}

	private final Pattern internalProxies;

	private final Pattern trustedProxies;

	private final Names names;

	/**
	 * @param internalProxies regular expression of proxy addresses that never count as the client
	 * @param trustedProxies regular expression of further proxies to trust, or {@code null}
	 */
	public ForwardedHeaders(String internalProxies, String trustedProxies) {
		this(internalProxies, trustedProxies, Names.DEFAULT);
	}

	/**
	 * @param internalProxies regular expression of proxy addresses that never count as the client
	 * @param trustedProxies regular expression of further proxies to trust, or {@code null}
	 * @param names the headers the proxies write
	 */
	public ForwardedHeaders(String internalProxies, String trustedProxies, Names names) {
		this.internalProxies = (internalProxies != null && !internalProxies.isEmpty())
				? Pattern.compile(internalProxies) : null;
		this.trustedProxies = (trustedProxies != null && !trustedProxies.isEmpty()) ? Pattern.compile(trustedProxies)
				: null;
		this.names = (names != null) ? names : Names.DEFAULT;
	}

	private boolean isProxy(String address) {
		return (this.internalProxies != null && this.internalProxies.matcher(address).matches())
				|| (this.trustedProxies != null && this.trustedProxies.matcher(address).matches());
	}

	/** The origin the headers describe, or {@code null} when the peer is not a proxy to trust or says nothing. */
	public Origin resolve(String peerAddress, HttpFields headers) {
		if (!isProxy(peerAddress)) {
			return null;
		}
		List<String> forwarded = this.names.readsForwarded() ? headers.getAll("Forwarded") : List.of();
		return forwarded.isEmpty() ? fromNamedHeaders(headers) : fromForwarded(forwarded);
	}

	private Origin fromForwarded(List<String> headerValues) {
		List<String> elements = new ArrayList<>();
		for (String value : headerValues) {
			for (String element : value.split(",")) {
				elements.add(element.trim());
			}
		}
		int client = clientIndex(elements.stream().map((element) -> node(parameter(element, "for"))).toList());
		if (client < 0) {
			return null;
		}
		String element = elements.get(client);
		String address = node(parameter(element, "for"));
		String proto = parameter(element, "proto");
		String host = parameter(element, "host");
		return origin(address, proto, host, null);
	}

	private Origin fromNamedHeaders(HttpFields headers) {
		List<String> chain = new ArrayList<>();
		for (String value : headers.getAll(this.names.remoteIpHeader())) {
			for (String address : value.split(",")) {
				if (!address.isBlank()) {
					chain.add(address.trim());
				}
			}
		}
		int client = clientIndex(chain);
		String address = (client >= 0) ? chain.get(client) : null;
		return origin(address, scheme(first(header(headers, this.names.protocolHeader()))),
				first(header(headers, this.names.hostHeader())), first(header(headers, this.names.portHeader())));
	}

	/** A named header's value; a header configured as empty is not read at all. */
	private static String header(HttpFields headers, String name) {
		return (name != null && !name.isBlank()) ? headers.get(name) : null;
	}

	/** As Tomcat's valve reads the protocol header: the configured https value means https, anything else http. */
	private String scheme(String protocol) {
		if (protocol == null) {
			return null;
		}
		return protocol.equalsIgnoreCase(this.names.protocolHeaderHttpsValue()) ? "https" : "http";
	}

	/** From the right, the first address that is not a proxy; when all are proxies, the leftmost. */
	private int clientIndex(List<String> chain) {
		for (int i = chain.size() - 1; i >= 0; i--) {
			String address = chain.get(i);
			if (address == null || !isProxy(address)) {
				return i;
			}
		}
		return chain.isEmpty() ? -1 : 0;
	}

	private static Origin origin(String address, String proto, String host, String port) {
		String scheme = (proto != null) ? proto.toLowerCase(Locale.ROOT) : null;
		String hostName = null;
		int hostPort = -1;
		if (host != null && !host.isEmpty()) {
			int colon = host.lastIndexOf(':');
			if (colon > 0 && colon > host.lastIndexOf(']')) {
				hostName = host.substring(0, colon);
				hostPort = parsePort(host.substring(colon + 1));
			}
			else {
				hostName = host;
			}
			if (hostName.startsWith("[") && hostName.endsWith("]")) {
				hostName = hostName.substring(1, hostName.length() - 1);
			}
		}
		int explicitPort = (port != null) ? parsePort(port) : -1;
		int effectivePort = (explicitPort > 0) ? explicitPort : (hostPort > 0) ? hostPort
				: "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
		if (address == null && scheme == null && hostName == null && effectivePort < 0) {
			return null;
		}
		return new Origin(address, scheme, hostName, effectivePort);
	}

	private static int parsePort(String text) {
		try {
			int port = Integer.parseInt(text.trim());
			return (port > 0 && port <= 65535) ? port : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static String first(String commaSeparated) {
		if (commaSeparated == null) {
			return null;
		}
		int comma = commaSeparated.indexOf(',');
		String value = ((comma >= 0) ? commaSeparated.substring(0, comma) : commaSeparated).trim();
		return value.isEmpty() ? null : value;
	}

	/** A {@code Forwarded} pair's value, unquoted ({@code for="[2001:db8::1]:4711"}). */
	private static String parameter(String element, String name) {
		for (String pair : element.split(";")) {
			int eq = pair.indexOf('=');
			if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase(name)) {
				String value = pair.substring(eq + 1).trim();
				if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
					value = value.substring(1, value.length() - 1);
				}
				return value;
			}
		}
		return null;
	}

	/** The address of a {@code for} node without its port or brackets; {@code null} for unknown/obfuscated ones. */
	private static String node(String value) {
		if (value == null || value.equalsIgnoreCase("unknown") || value.startsWith("_")) {
			return null;
		}
		if (value.startsWith("[")) {
			int close = value.indexOf(']');
			return (close > 0) ? value.substring(1, close) : null;
		}
		int colon = value.indexOf(':');
		return (colon >= 0 && value.indexOf(':', colon + 1) < 0) ? value.substring(0, colon) : value;
	}

}
