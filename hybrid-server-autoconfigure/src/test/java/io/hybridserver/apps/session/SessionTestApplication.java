package io.hybridserver.apps.session;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Container sessions as an ordinary application uses them, with every kind of session listener as a bean. */
@SpringBootApplication
public class SessionTestApplication {

	/** What the session listeners heard, in order. */
	public static final class SessionEvents {

		public final List<String> events = new CopyOnWriteArrayList<>();

	}

	@Bean
	SessionEvents sessionEvents() {
		return new SessionEvents();
	}

	@Bean
	SessionListeners sessionListeners(SessionEvents events) {
		return new SessionListeners(events);
	}

	@Bean
	CookieSameSiteSupplier trackerCookieIsStrict() {
		return CookieSameSiteSupplier.ofStrict().whenHasName("tracker");
	}

	/** A supplier for every cookie, the session cookie too: its own SameSite setting must still win. */
	@Bean
	@ConditionalOnProperty("test.every-cookie-same-site-none")
	CookieSameSiteSupplier everyCookieIsNone() {
		return CookieSameSiteSupplier.ofNone();
	}

	static final class SessionListeners implements HttpSessionListener, HttpSessionAttributeListener,
			HttpSessionIdListener {

		private final SessionEvents events;

		SessionListeners(SessionEvents events) {
			this.events = events;
		}

		@Override
		public void sessionCreated(HttpSessionEvent se) {
			this.events.events.add("created " + se.getSession().getId());
		}

		@Override
		public void sessionDestroyed(HttpSessionEvent se) {
			this.events.events.add("destroyed " + se.getSession().getId());
		}

		@Override
		public void attributeAdded(HttpSessionBindingEvent event) {
			this.events.events.add("added " + event.getName());
		}

		@Override
		public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
			this.events.events.add("changed " + oldSessionId + " to " + event.getSession().getId());
		}

	}

	/** A value that wants to know when it enters and leaves a session. */
	static final class Bound implements HttpSessionBindingListener, Serializable {

		private static final long serialVersionUID = 1L;

		private final transient SessionEvents events;

		Bound(SessionEvents events) {
			this.events = events;
		}

		@Override
		public void valueBound(HttpSessionBindingEvent event) {
			this.events.events.add("bound " + event.getName());
		}

		@Override
		public void valueUnbound(HttpSessionBindingEvent event) {
			if (this.events != null) {
				this.events.events.add("unbound " + event.getName());
			}
		}

	}

	@RestController
	static class SessionController {

		private final SessionEvents events;

		SessionController(SessionEvents events) {
			this.events = events;
		}

		@GetMapping("/visits")
		String visits(HttpSession session) {
			Integer count = (Integer) session.getAttribute("count");
			count = (count != null) ? count + 1 : 1;
			session.setAttribute("count", count);
			return "visits=" + count;
		}

		@PostMapping("/change-id")
		String changeId(HttpServletRequest request) {
			String before = request.getSession().getId();
			String after = request.changeSessionId();
			return before + " " + after;
		}

		@GetMapping("/short")
		String shortSession(HttpSession session) {
			session.setMaxInactiveInterval(1);
			session.setAttribute("bound", new Bound(this.events));
			return session.getId();
		}

		@PostMapping("/logout")
		String logout(HttpSession session) {
			session.invalidate();
			return "bye";
		}

		/** A link to the visits page as a template writes one, through encodeURL; and where the id came from. */
		@GetMapping("/link")
		String link(HttpServletRequest request, HttpServletResponse response) {
			request.getSession();
			return response.encodeURL("/visits?from=link") + " url=" + request.isRequestedSessionIdFromURL()
					+ " cookie=" + request.isRequestedSessionIdFromCookie();
		}

		@GetMapping("/tracker")
		String tracker(HttpServletResponse response) {
			response.addCookie(new Cookie("tracker", "1"));
			response.addCookie(new Cookie("other", "2"));
			return "cookies";
		}

	}

}
