package io.hybridserver.servlet.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpSessionAttributeListener;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

/**
 * Registered listeners, kept per interface in registration order. Lists are copy-on-write: listeners are added only
 * before start and read on every request.
 */
public final class Listeners {

	/** The listener interfaces {@code ServletContext.addListener} accepts (spec 4.4.3.5). */
	static final List<Class<? extends EventListener>> SUPPORTED = List.of(ServletContextListener.class,
			ServletContextAttributeListener.class, ServletRequestListener.class, ServletRequestAttributeListener.class,
			HttpSessionListener.class, HttpSessionAttributeListener.class, HttpSessionIdListener.class);

	private final List<ServletContextListener> context = new CopyOnWriteArrayList<>();

	private final List<ServletContextAttributeListener> contextAttribute = new CopyOnWriteArrayList<>();

	private final List<ServletRequestListener> request = new CopyOnWriteArrayList<>();

	private final List<ServletRequestAttributeListener> requestAttribute = new CopyOnWriteArrayList<>();

	private final List<HttpSessionListener> session = new CopyOnWriteArrayList<>();

	private final List<HttpSessionAttributeListener> sessionAttribute = new CopyOnWriteArrayList<>();

	private final List<HttpSessionIdListener> sessionId = new CopyOnWriteArrayList<>();

	static boolean isSupported(Class<?> type) {
		for (Class<?> supported : SUPPORTED) {
			if (supported.isAssignableFrom(type)) {
				return true;
			}
		}
		return false;
	}

	/** Adds the listener to every list whose interface it implements. */
	void add(EventListener listener) {
		if (!isSupported(listener.getClass())) {
			throw new IllegalArgumentException("Unsupported listener type " + listener.getClass().getName()
					+ "; supported: " + SUPPORTED);
		}
		if (listener instanceof ServletContextListener l) {
			this.context.add(l);
		}
		if (listener instanceof ServletContextAttributeListener l) {
			this.contextAttribute.add(l);
		}
		if (listener instanceof ServletRequestListener l) {
			this.request.add(l);
		}
		if (listener instanceof ServletRequestAttributeListener l) {
			this.requestAttribute.add(l);
		}
		if (listener instanceof HttpSessionListener l) {
			this.session.add(l);
		}
		if (listener instanceof HttpSessionAttributeListener l) {
			this.sessionAttribute.add(l);
		}
		if (listener instanceof HttpSessionIdListener l) {
			this.sessionId.add(l);
		}
	}

	public List<ServletContextListener> context() {
		return this.context;
	}

	/** Context listeners in reverse registration order, the order {@code contextDestroyed} is called in. */
	public List<ServletContextListener> contextReversed() {
		List<ServletContextListener> reversed = new ArrayList<>(this.context);
		Collections.reverse(reversed);
		return reversed;
	}

	public List<ServletContextAttributeListener> contextAttribute() {
		return this.contextAttribute;
	}

	public List<ServletRequestListener> request() {
		return this.request;
	}

	public List<ServletRequestAttributeListener> requestAttribute() {
		return this.requestAttribute;
	}

	public List<HttpSessionListener> session() {
		return this.session;
	}

	public List<HttpSessionAttributeListener> sessionAttribute() {
		return this.sessionAttribute;
	}

	public List<HttpSessionIdListener> sessionId() {
		return this.sessionId;
	}

}
