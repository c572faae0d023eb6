package io.hybridserver.servlet.spec;

import java.util.Set;

import io.hybridserver.servlet.session.StandardSession;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;

/**
 * One request's view of sessions: which id the client asked for and how (the session cookie, a {@code ;jsessionid=}
 * path parameter, or the TLS session, by the context's tracking modes), the session found or created for it, and the
 * cookie that tells the client about a new or changed id.
 */
final class RequestSession {

	private final RequestFacade request;

	private StandardSession session;

	private boolean requestedIdResolved;

	private String requestedId;

	private boolean requestedFromCookie;

	private boolean requestedFromUrl;

	RequestSession(RequestFacade request) {
		this.request = request;
	}

	private Set<SessionTrackingMode> modes() {
		return this.request.application().sessionTrackingModes();
	}

	HttpSession getSession(boolean create) {
		if (this.session != null && this.session.isValid()) {
			return this.session;
		}
		this.session = null;
		String requested = requestedSessionId();
		if (requested != null) {
			StandardSession found = this.request.application().sessions().find(requested);
			if (found != null) {
				this.session = found;
				return found;
			}
		}
		if (!create) {
			return null;
		}
		// The cookie could no longer reach the client, so the spec forbids creating the session.
		if (this.request.response().isCommitted()) {
			throw new IllegalStateException("Cannot create a session: the response is committed");
		}
		int maxInactiveSeconds = this.request.application().sessionTimeoutMinutes() * 60;
		if (modes().contains(SessionTrackingMode.SSL) && requested != null) {
			// The TLS session's id is the session's id: the client presents it again on every request of that session.
			this.session = this.request.application().sessions().create(requested, maxInactiveSeconds);
		}
		else {
			this.session = this.request.application().sessions().create(maxInactiveSeconds);
		}
		addCookie(this.session.getId());
		return this.session;
	}

	String changeSessionId() {
		if (getSession(false) == null) {
			throw new IllegalStateException("There is no session to change the id of");
		}
		String id = this.session.changeId();
		addCookie(id);
		return id;
	}

	private void addCookie(String id) {
		if (modes().contains(SessionTrackingMode.COOKIE)) {
			this.request.response().addCookie(SessionCookies.create(this.request, id));
		}
	}

	String requestedSessionId() {
		if (!this.requestedIdResolved) {
			resolveRequestedId();
			this.requestedIdResolved = true;
		}
		return this.requestedId;
	}

	/** Tomcat's order: the TLS session alone when SSL tracking is on; else the URL's id, which a cookie replaces. */
	private void resolveRequestedId() {
		Set<SessionTrackingMode> modes = modes();
		if (modes.contains(SessionTrackingMode.SSL)) {
			this.requestedId = (String) this.request.getAttribute(TlsRequestAttributes.SESSION_ID);
			return;
		}
		if (modes.contains(SessionTrackingMode.URL)) {
			this.requestedId = SessionUrls.requestedId(this.request.target().requestUri(),
					SessionUrls.parameterName(this.request.application().sessionCookieConfig()));
			this.requestedFromUrl = this.requestedId != null;
		}
		if (modes.contains(SessionTrackingMode.COOKIE)) {
			String fromCookie = cookieId();
			if (fromCookie != null) {
				this.requestedId = fromCookie;
				this.requestedFromCookie = true;
				this.requestedFromUrl = false;
			}
		}
	}

	/**
	 * A browser sends two cookies of this name while an older one with a more specific path lives on; as Tomcat
	 * does, the first that names a live session wins, else the first one.
	 */
	private String cookieId() {
		String name = this.request.application().sessionCookieConfig().getName();
		Cookie[] cookies = this.request.getCookies();
		String first = null;
		if (cookies != null) {
			for (Cookie cookie : cookies) {
				if (cookie.getName().equals(name)) {
					if (first == null) {
						first = cookie.getValue();
					}
					if (this.request.application().sessions().find(cookie.getValue()) != null) {
						return cookie.getValue();
					}
				}
			}
		}
		return first;
	}

	boolean isRequestedSessionIdFromCookie() {
		requestedSessionId();
		return this.requestedFromCookie;
	}

	boolean isRequestedSessionIdFromUrl() {
		requestedSessionId();
		return this.requestedFromUrl;
	}

	/**
	 * {@code url} with the session id in it when URL tracking is on and the client did not send the id in a cookie
	 * (Tomcat's rule: a client that returns the cookie needs no rewriting), else {@code url} unchanged.
	 */
	String encodeUrl(String url) {
		if (!modes().contains(SessionTrackingMode.URL) || isRequestedSessionIdFromCookie()) {
			return url;
		}
		HttpSession current = getSession(false);
		if (current == null) {
			return url;
		}
		return SessionUrls.encode(this.request, url, current.getId(),
				SessionUrls.parameterName(this.request.application().sessionCookieConfig()));
	}

	boolean isRequestedSessionIdValid() {
		String requested = requestedSessionId();
		if (requested == null) {
			return false;
		}
		HttpSession current = getSession(false);
		return current != null && requested.equals(current.getId());
	}

}
