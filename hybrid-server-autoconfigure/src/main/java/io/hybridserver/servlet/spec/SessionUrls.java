package io.hybridserver.servlet.spec;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.servlet.SessionCookieConfig;

/**
 * URL session tracking as the Servlet spec (7.1.3) and Tomcat have it: the session id as the path parameter
 * {@code ;jsessionid=} (named after the session cookie when that has a name of its own), read from the request path
 * and written into URLs by {@code encodeURL}.
 */
final class SessionUrls {

	private SessionUrls() {
	}

	/** {@code jsessionid} for the default cookie name, as Tomcat names it, else the configured cookie name. */
	static String parameterName(SessionCookieConfig config) {
		String name = config.getName();
		return (name == null || name.equals("JSESSIONID")) ? "jsessionid" : name;
	}

	/** The session id in the raw request path ({@code /a;jsessionid=ID/b}), or {@code null}. */
	static String requestedId(String rawPath, String parameterName) {
		String token = ";" + parameterName + "=";
		int at = rawPath.indexOf(token);
		if (at < 0) {
			return null;
		}
		int start = at + token.length();
		int end = start;
		while (end < rawPath.length() && rawPath.charAt(end) != ';' && rawPath.charAt(end) != '/') {
			end++;
		}
		return (end > start) ? rawPath.substring(start, end) : null;
	}

	/**
	 * The URL with the session id inserted before its query and fragment, when it points into this application on
	 * this server (Tomcat's {@code isEncodeable}); any other URL as it is.
	 */
	static String encode(RequestFacade request, String url, String sessionId, String parameterName) {
		if (url == null || url.startsWith("#")) {
			return url;
		}
		URI resolved;
		try {
			resolved = new URI(request.getRequestURL().toString()).resolve(url);
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			return url;
		}
		if (!request.getScheme().equalsIgnoreCase(resolved.getScheme())
				|| !request.getServerName().equalsIgnoreCase(resolved.getHost())
				|| port(resolved) != request.getServerPort()) {
			return url;
		}
		String path = resolved.getRawPath();
		String contextPath = request.getContextPath();
		if (path == null || !path.startsWith(contextPath)
				|| path.indexOf(";" + parameterName + "=", contextPath.length()) >= 0) {
			return url;
		}
		int query = url.indexOf('?');
		int fragment = url.indexOf('#');
		int end = (query >= 0 && (fragment < 0 || query < fragment)) ? query : fragment;
		String before = (end >= 0) ? url.substring(0, end) : url;
		String after = (end >= 0) ? url.substring(end) : "";
		if (before.isEmpty()) {
			// "?q=1" alone: the id belongs to the current path, which the resolved URL spells out.
			before = path;
		}
		return before + ";" + parameterName + "=" + sessionId + after;
	}

	private static int port(URI uri) {
		if (uri.getPort() >= 0) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

}
