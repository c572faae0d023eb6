package io.hybridserver.http;

import java.util.function.IntSupplier;

/**
 * Answers every request of a redirect listener with a redirect to the same path and query on the HTTPS port, by
 * itself on the event loop: nothing reaches the workers, and the answer never blocks (its body is empty).
 *
 * <p>{@code GET} and {@code HEAD} get {@code 301 Moved Permanently}, which every client follows; other methods get
 * {@code 308 Permanent Redirect}, which keeps the method and body where a 301 lets clients turn a POST into a GET.
 * The host is the one the client asked for ({@code Host}), as Tomcat's redirect port uses the request's server name;
 * a Host with characters no host name has falls back to the listener's local address.
 */
public final class HttpsRedirectDispatcher implements ExchangeDispatcher {

	private final IntSupplier httpsPort;

	/**
	 * @param httpsPort the HTTPS port to redirect to, read at each request (a port chosen by the OS is known only once
	 * bound)
	 */
	public HttpsRedirectDispatcher(IntSupplier httpsPort) {
		this.httpsPort = httpsPort;
	}

	@Override
	public boolean dispatch(Exchange exchange) {
		String method = exchange.method();
		int status = ("GET".equals(method) || "HEAD".equals(method)) ? 301 : 308;
		exchange.responseHeaders().set("Location", location(exchange, this.httpsPort.getAsInt()));
		exchange.commit(status, 0);
		exchange.complete();
		return true;
	}

	/** {@code https://host[:port]/path?query} for this request. */
	static String location(Exchange exchange, int port) {
		String host = host(exchange.requestHeaders().get("Host"));
		if (host == null) {
			String local = exchange.localAddress().getAddress().getHostAddress();
			host = (local.indexOf(':') >= 0) ? "[" + local + "]" : local;
		}
		StringBuilder location = new StringBuilder(64).append("https://").append(host);
		if (port != 443) {
			location.append(':').append(port);
		}
		return location.append(pathAndQuery(exchange.target())).toString();
	}

	/** The host part of a Host field, without its port; {@code null} when absent or not a plausible host. */
	private static String host(String field) {
		if (field == null || field.isBlank()) {
			return null;
		}
		String value = field.trim();
		int end = value.length();
		if (value.startsWith("[")) {
			end = value.indexOf(']') + 1;
			if (end <= 0) {
				return null;
			}
		}
		else if (value.indexOf(':') >= 0) {
			end = value.indexOf(':');
		}
		String host = value.substring(0, end);
		for (int i = 0; i < host.length(); i++) {
			char c = host.charAt(i);
			if (!(Character.isLetterOrDigit(c) && c < 128) && "-._[]:".indexOf(c) < 0) {
				return null;
			}
		}
		return host.isEmpty() ? null : host;
	}

	/** The path and query of a request-target: origin-form as is, absolute-form without its scheme and authority. */
	private static String pathAndQuery(String target) {
		if (target.startsWith("/")) {
			return target;
		}
		int scheme = target.indexOf("://");
		if (scheme > 0) {
			int path = target.indexOf('/', scheme + 3);
			int query = target.indexOf('?', scheme + 3);
			if (path < 0 || (query >= 0 && query < path)) {
				return (query >= 0) ? "/" + target.substring(query) : "/";
			}
			return target.substring(path);
		}
		// "*" (OPTIONS) or anything else: the root.
		return "/";
	}

}
