package io.hybridserver.servlet.spec;

import java.util.Map;

import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.http.Cookie;

/**
 * Builds the session tracking cookie from the context's {@link SessionCookieConfig}: its path defaults to the context
 * path, and it is {@code Secure} when configured so or when the request came over HTTPS.
 */
final class SessionCookies {

	private SessionCookies() {
	}

	static Cookie create(RequestFacade request, String sessionId) {
		SessionCookieConfig config = request.application().sessionCookieConfig();
		Cookie cookie = new Cookie(config.getName(), sessionId);
		String path = config.getPath();
		if (path == null) {
			path = request.getContextPath().isEmpty() ? "/" : request.getContextPath();
		}
		cookie.setPath(path);
		if (config.getDomain() != null) {
			cookie.setDomain(config.getDomain());
		}
		cookie.setHttpOnly(config.isHttpOnly());
		cookie.setSecure(config.isSecure() || request.isSecure());
		cookie.setMaxAge(config.getMaxAge());
		for (Map.Entry<String, String> attribute : config.getAttributes().entrySet()) {
			cookie.setAttribute(attribute.getKey(), attribute.getValue());
		}
		return cookie;
	}

}
