package io.hybridserver.servlet.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Live sessions by id. Ids are 128 bits from a {@code SecureRandom}, as 32 hex characters, so they cannot be guessed
 * ({@link SessionIds}).
 *
 * <p>Expiry is checked whenever a session is looked up, which is all correctness needs; on top, at most once a
 * minute, the request that happens to look up a session also sweeps expired ones, and the container's timer calls
 * {@link #sweep} periodically, so abandoned sessions do not hold memory and their listeners hear of the end even when
 * no request comes.
 *
 * <p>It also counts what Tomcat's session manager counts for its {@code tomcat.sessions.*} meters, with the same
 * meaning: sessions created, sessions ended (timed out or invalidated, Tomcat's "expired"), the most sessions alive at
 * once, and the longest life of an ended session.
 */
public final class SessionStore {

	static final long SWEEP_INTERVAL_MILLIS = 60_000;

	private final Map<String, StandardSession> sessions = new ConcurrentHashMap<>();

	private final SessionIds ids = new SessionIds();

	private final AtomicLong lastSweep = new AtomicLong(System.currentTimeMillis());

	private final List<HttpSessionListener> sessionListeners;

	private final List<HttpSessionAttributeListener> attributeListeners;

	private final List<HttpSessionIdListener> idListeners;

	private final Supplier<ServletContext> servletContext;

	private final LongAdder created = new LongAdder();

	private final LongAdder ended = new LongAdder();

	private final AtomicInteger mostActive = new AtomicInteger();

	private final AtomicLong longestLifeMillis = new AtomicLong();

	public SessionStore(List<HttpSessionListener> sessionListeners,
			List<HttpSessionAttributeListener> attributeListeners, List<HttpSessionIdListener> idListeners,
			Supplier<ServletContext> servletContext) {
		this.sessionListeners = sessionListeners;
		this.attributeListeners = attributeListeners;
		this.idListeners = idListeners;
		this.servletContext = servletContext;
	}

	/** Creates a session that expires after {@code maxInactiveSeconds} idle ({@code <= 0}: never). */
	public StandardSession create(int maxInactiveSeconds) {
		return create(newId(), maxInactiveSeconds);
	}

	/** Creates a session under an id the client's connection gives (SSL session tracking: the TLS session's id). */
	public StandardSession create(String id, int maxInactiveSeconds) {
		StandardSession session = new StandardSession(this, id, maxInactiveSeconds, System.currentTimeMillis());
		this.sessions.put(id, session);
		this.created.increment();
		this.mostActive.accumulateAndGet(this.sessions.size(), Math::max);
		HttpSessionEvent event = new HttpSessionEvent(session);
		for (HttpSessionListener listener : this.sessionListeners) {
			listener.sessionCreated(event);
		}
		return session;
	}

	/**
	 * The live session with this id, marked as accessed now; {@code null} when unknown or expired (an expired one is
	 * invalidated on the way).
	 */
	public StandardSession find(String id) {
		long now = System.currentTimeMillis();
		sweepIfDue(now);
		if (id == null) {
			return null;
		}
		StandardSession session = this.sessions.get(id);
		if (session == null) {
			return null;
		}
		if (session.isExpired(now)) {
			session.expire();
			return null;
		}
		session.access(now);
		return session;
	}

	/** Puts back a session saved by an earlier run, with its id and times; no created event (it was created then). */
	StandardSession restore(String id, long creationTime, long lastAccessedTime, int maxInactiveSeconds,
			Map<String, Object> attributes) {
		StandardSession session = new StandardSession(this, id, maxInactiveSeconds, creationTime);
		session.restored(lastAccessedTime, attributes);
		this.sessions.put(id, session);
		this.mostActive.accumulateAndGet(this.sessions.size(), Math::max);
		return session;
	}

	java.util.Collection<StandardSession> liveSessions() {
		return new ArrayList<>(this.sessions.values());
	}

	/** Drops every session without ending it: they were saved and live on in the next run. */
	void forgetAll() {
		this.sessions.clear();
	}

	/** Number of live sessions (expired ones not yet swept included). */
	public int size() {
		return this.sessions.size();
	}

	/** Gives the session a fresh id (session fixation defence) and tells the id listeners. */
	String changeId(StandardSession session) {
		String oldId = session.getId();
		String newId = newId();
		this.sessions.remove(oldId);
		session.id(newId);
		this.sessions.put(newId, session);
		HttpSessionEvent event = new HttpSessionEvent(session);
		for (HttpSessionIdListener listener : this.idListeners) {
			listener.sessionIdChanged(event, oldId);
		}
		return newId;
	}

	/** Takes an ended session out, counting it as Tomcat counts an expired one. */
	void remove(StandardSession session) {
		if (this.sessions.remove(session.getId(), session)) {
			this.ended.increment();
			this.longestLifeMillis.accumulateAndGet(System.currentTimeMillis() - session.creationTime(), Math::max);
		}
	}

	/** Sessions created since the start (restored ones not included: they were created by an earlier run). */
	public long createdCount() {
		return this.created.sum();
	}

	/** Sessions ended since the start, timed out or invalidated (Tomcat's {@code expiredSessions}). */
	public long endedCount() {
		return this.ended.sum();
	}

	/** The most sessions alive at once since the start (Tomcat's {@code maxActive}). */
	public int mostActive() {
		return this.mostActive.get();
	}

	/** The longest time an ended session had lived, in milliseconds (Tomcat's {@code sessionMaxAliveTime}). */
	public long longestLifeMillis() {
		return this.longestLifeMillis.get();
	}

	void fireDestroyed(StandardSession session) {
		HttpSessionEvent event = new HttpSessionEvent(session);
		for (HttpSessionListener listener : this.sessionListeners) {
			listener.sessionDestroyed(event);
		}
	}

	List<HttpSessionAttributeListener> attributeListeners() {
		return this.attributeListeners;
	}

	ServletContext servletContext() {
		return this.servletContext.get();
	}

	/** Invalidates every session; the container calls it on stop so that listeners see the sessions end. */
	public void invalidateAll() {
		for (StandardSession session : new ArrayList<>(this.sessions.values())) {
			session.expire();
		}
	}

	private void sweepIfDue(long now) {
		long last = this.lastSweep.get();
		if (now - last < SWEEP_INTERVAL_MILLIS || !this.lastSweep.compareAndSet(last, now)) {
			return;
		}
		sweep(now);
	}

	/** Expires every session idle past its timeout. */
	public void sweep(long now) {
		for (StandardSession session : this.sessions.values()) {
			if (session.isExpired(now)) {
				session.expire();
			}
		}
	}

	private String newId() {
		String id;
		do {
			id = this.ids.next();
		}
		while (this.sessions.containsKey(id));
		return id;
	}

}
