package io.hybridserver.servlet.spec;

/**
 * Turns a {@code sendRedirect} location into the absolute URL the spec asks for: an absolute URL stays, a
 * network-path ({@code //host/x}) gains the scheme, a path starting with {@code /} is relative to the server, any
 * other path is relative to the request URI's directory.
 */
final class RedirectLocations {

	private RedirectLocations() {
	}

	static String absolute(RequestFacade request, String location) {
		if (hasScheme(location)) {
			return location;
		}
		String scheme = request.getScheme();
		if (location.startsWith("//")) {
			return scheme + ":" + location;
		}
		StringBuilder url = new StringBuilder(64).append(scheme).append("://").append(hostForUrl(request.getServerName()));
		int port = request.getServerPort();
		if (!(("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443)) && port > 0) {
			url.append(':').append(port);
		}
		if (location.startsWith("/")) {
			url.append(location);
		}
		else {
			String uri = request.getRequestURI();
			url.append(uri, 0, uri.lastIndexOf('/') + 1).append(location);
		}
		return url.toString();
	}

	private static String hostForUrl(String host) {
		return (host.indexOf(':') >= 0 && !host.startsWith("[")) ? "[" + host + "]" : host;
	}

	private static boolean hasScheme(String location) {
		int colon = location.indexOf(':');
		if (colon <= 0) {
			return false;
		}
		for (int i = 0; i < colon; i++) {
			char c = location.charAt(i);
			if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
				return false;
			}
		}
		return Character.isLetter(location.charAt(0));
	}

}
