package io.hybridserver.servlet.spec;

import io.hybridserver.servlet.session.StandardSession;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;

/**
 * One request's view of sessions: which id the client asked for (from the session cookie only), the session found
 * or created for it, and the cookie that tells the client about a new or changed id.
 */
final class RequestSession {

	private final RequestFacade request;

	private StandardSession session;

	private boolean requestedIdResolved;

	private String requestedId;

	RequestSession(RequestFacade request) {
		this.request = request;
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
		this.session = this.request.application()
			.sessions()
			.create(this.request.application().sessionTimeoutMinutes() * 60);
		this.request.response().addCookie(SessionCookies.create(this.request, this.session.getId()));
		return this.session;
	}

	String changeSessionId() {
		if (getSession(false) == null) {
			throw new IllegalStateException("There is no session to change the id of");
		}
		String id = this.session.changeId();
		this.request.response().addCookie(SessionCookies.create(this.request, id));
		return id;
	}

	String requestedSessionId() {
		if (!this.requestedIdResolved) {
			String name = this.request.application().sessionCookieConfig().getName();
			Cookie[] cookies = this.request.getCookies();
			if (cookies != null) {
				// A browser sends two cookies of this name while an older one with a more specific path lives on;
				// as Tomcat does, the first that names a live session wins, else the first one.
				for (Cookie cookie : cookies) {
					if (cookie.getName().equals(name)) {
						if (this.requestedId == null) {
							this.requestedId = cookie.getValue();
						}
						if (this.request.application().sessions().find(cookie.getValue()) != null) {
							this.requestedId = cookie.getValue();
							break;
						}
					}
				}
			}
			this.requestedIdResolved = true;
		}
		return this.requestedId;
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
