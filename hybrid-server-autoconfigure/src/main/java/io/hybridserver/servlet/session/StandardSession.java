package io.hybridserver.servlet.session;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionBindingEvent;
import jakarta.servlet.http.HttpSessionBindingListener;

/**
 * One in-memory session. Several requests of one client may use it at once, so attributes are concurrent and the
 * lifecycle fields volatile.
 */
public final class StandardSession implements HttpSession {

	private final SessionStore store;

	private volatile String id;

	private final long creationTime;

	private volatile long lastAccessedTime;

	private volatile int maxInactiveInterval;

	private volatile boolean isNew = true;

	private volatile boolean valid = true;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	StandardSession(SessionStore store, String id, int maxInactiveSeconds, long now) {
		this.store = store;
		this.id = id;
		this.creationTime = now;
		this.lastAccessedTime = now;
		this.maxInactiveInterval = maxInactiveSeconds;
	}

	void restored(long lastAccessed, Map<String, Object> restoredAttributes) {
		this.lastAccessedTime = lastAccessed;
		this.isNew = false;
		this.attributes.putAll(restoredAttributes);
	}

	long creationTime() {
		return this.creationTime;
	}

	long lastAccessed() {
		return this.lastAccessedTime;
	}

	Map<String, Object> attributeMap() {
		return this.attributes;
	}

	void id(String id) {
		this.id = id;
	}

	void access(long now) {
		this.lastAccessedTime = now;
		this.isNew = false;
	}

	boolean isExpired(long now) {
		int max = this.maxInactiveInterval;
		return max > 0 && now - this.lastAccessedTime >= max * 1000L;
	}

	/** Whether {@link #invalidate()} has not been called and the session has not expired. */
	public boolean isValid() {
		return this.valid;
	}

	/** Gives the session a new id; see {@code HttpServletRequest.changeSessionId}. */
	public String changeId() {
		checkValid();
		return this.store.changeId(this);
	}

	@Override
	public long getCreationTime() {
		checkValid();
		return this.creationTime;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public long getLastAccessedTime() {
		checkValid();
		return this.lastAccessedTime;
	}

	@Override
	public ServletContext getServletContext() {
		return this.store.servletContext();
	}

	@Override
	public void setMaxInactiveInterval(int interval) {
		this.maxInactiveInterval = interval;
	}

	@Override
	public int getMaxInactiveInterval() {
		return this.maxInactiveInterval;
	}

	@Override
	public Object getAttribute(String name) {
		checkValid();
		return this.attributes.get(name);
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		checkValid();
		return Collections.enumeration(this.attributes.keySet());
	}

	@Override
	public void setAttribute(String name, Object value) {
		if (name == null) {
			throw new IllegalArgumentException("Attribute name must not be null");
		}
		if (value == null) {
			removeAttribute(name);
			return;
		}
		checkValid();
		// valueBound comes before the attribute is visible, as the spec orders it.
		if (value instanceof HttpSessionBindingListener binding) {
			binding.valueBound(new HttpSessionBindingEvent(this, name, value));
		}
		Object old = this.attributes.put(name, value);
		if (old != null && old != value && old instanceof HttpSessionBindingListener binding) {
			binding.valueUnbound(new HttpSessionBindingEvent(this, name, old));
		}
		for (HttpSessionAttributeListener listener : this.store.attributeListeners()) {
			if (old == null) {
				listener.attributeAdded(new HttpSessionBindingEvent(this, name, value));
			}
			else {
				listener.attributeReplaced(new HttpSessionBindingEvent(this, name, old));
			}
		}
	}

	@Override
	public void removeAttribute(String name) {
		checkValid();
		Object old = this.attributes.remove(name);
		if (old != null) {
			unbound(name, old);
		}
	}

	private void unbound(String name, Object old) {
		if (old instanceof HttpSessionBindingListener binding) {
			binding.valueUnbound(new HttpSessionBindingEvent(this, name, old));
		}
		for (HttpSessionAttributeListener listener : this.store.attributeListeners()) {
			listener.attributeRemoved(new HttpSessionBindingEvent(this, name, old));
		}
	}

	@Override
	public void invalidate() {
		checkValid();
		expire();
	}

	/** Ends the session whether or not someone invalidated it already; idempotent. */
	synchronized void expire() {
		if (!this.valid) {
			return;
		}
		// Listeners are told before the attributes go, so they can still read them (spec 7.5).
		this.store.fireDestroyed(this);
		this.valid = false;
		this.store.remove(this);
		for (String name : this.attributes.keySet()) {
			Object old = this.attributes.remove(name);
			if (old != null) {
				unbound(name, old);
			}
		}
	}

	@Override
	public boolean isNew() {
		checkValid();
		return this.isNew;
	}

	private void checkValid() {
		if (!this.valid) {
			throw new IllegalStateException("Session " + this.id + " has been invalidated");
		}
	}

}
