package io.hybridserver.servlet.spec;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import io.hybridserver.servlet.ServletDeployment;
import io.hybridserver.servlet.core.WebApplication;
import jakarta.servlet.SessionCookieConfig;

/**
 * The context's {@link SessionCookieConfig}: seeded from the deployment, changeable by initializers, frozen once the
 * context is initialised (setters then throw {@link IllegalStateException}, as the spec requires). Attributes are
 * case-insensitive by name, so {@code SameSite} set as {@code samesite} still applies once.
 */
public final class SessionCookieSettings implements SessionCookieConfig {

	private final WebApplication application;

	private volatile String name;

	private volatile String domain;

	private volatile String path;

	private volatile boolean httpOnly;

	private volatile boolean secure;

	private volatile int maxAge;

	private final Map<String, String> attributes = Collections
		.synchronizedMap(new TreeMap<>(String.CASE_INSENSITIVE_ORDER));

	public SessionCookieSettings(WebApplication application) {
		this.application = application;
		ServletDeployment deployment = application.deployment();
		this.name = deployment.getSessionCookieName();
		this.domain = deployment.getSessionCookieDomain();
		this.path = deployment.getSessionCookiePath();
		this.httpOnly = deployment.isSessionCookieHttpOnly();
		this.secure = deployment.isSessionCookieSecure();
		this.maxAge = deployment.getSessionCookieMaxAge();
		if (deployment.getSessionCookieSameSite() != null) {
			this.attributes.put("SameSite", deployment.getSessionCookieSameSite());
		}
	}

	@Override
	public void setName(String name) {
		this.application.checkNotStarted();
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public void setDomain(String domain) {
		this.application.checkNotStarted();
		this.domain = domain;
	}

	@Override
	public String getDomain() {
		return this.domain;
	}

	@Override
	public void setPath(String path) {
		this.application.checkNotStarted();
		this.path = path;
	}

	@Override
	public String getPath() {
		return this.path;
	}

	/** The comment attribute is obsolete (RFC 6265 dropped it); accepted and dropped. */
	@Override
	@Deprecated(forRemoval = true)
	@SuppressWarnings("removal")
	public void setComment(String comment) {
		this.application.checkNotStarted();
	}

	@Override
	@Deprecated(forRemoval = true)
	@SuppressWarnings("removal")
	public String getComment() {
		return null;
	}

	@Override
	public void setHttpOnly(boolean httpOnly) {
		this.application.checkNotStarted();
		this.httpOnly = httpOnly;
	}

	@Override
	public boolean isHttpOnly() {
		return this.httpOnly;
	}

	@Override
	public void setSecure(boolean secure) {
		this.application.checkNotStarted();
		this.secure = secure;
	}

	@Override
	public boolean isSecure() {
		return this.secure;
	}

	@Override
	public void setMaxAge(int maxAge) {
		this.application.checkNotStarted();
		this.maxAge = maxAge;
	}

	@Override
	public int getMaxAge() {
		return this.maxAge;
	}

	@Override
	public void setAttribute(String name, String value) {
		this.application.checkNotStarted();
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("Cookie attribute name must not be empty");
		}
		if (value == null) {
			this.attributes.remove(name);
		}
		else {
			this.attributes.put(name, value);
		}
	}

	@Override
	public String getAttribute(String name) {
		return this.attributes.get(name);
	}

	@Override
	public Map<String, String> getAttributes() {
		synchronized (this.attributes) {
			return Collections.unmodifiableMap(new TreeMap<>(this.attributes));
		}
	}

}
