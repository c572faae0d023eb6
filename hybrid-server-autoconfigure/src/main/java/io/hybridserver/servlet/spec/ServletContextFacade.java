package io.hybridserver.servlet.spec;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.EventListener;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.servlet.core.WebApplication;
import io.hybridserver.servlet.resource.StaticResource;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextAttributeEvent;
import jakarta.servlet.ServletContextAttributeListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;

/**
 * The application's {@link ServletContext}: a facade over {@link WebApplication}. Registration methods work until the
 * context is initialised and throw {@link IllegalStateException} after (spec 4.4). Static resources come from the
 * document root when one is configured (Spring Boot's {@code src/main/webapp}), then {@code META-INF/resources} on the
 * class path, answered by {@link io.hybridserver.servlet.resource.StaticResources} from an index and a cache, never by
 * a class-path search per call; {@link #getRealPath} answers under the document root.
 */
public final class ServletContextFacade implements ServletContext {

	private static final Log logger = LogFactory.getLog(ServletContextFacade.class);

	private final WebApplication application;

	private final SessionCookieSettings sessionCookieConfig;

	public ServletContextFacade(WebApplication application) {
		this.application = application;
		this.sessionCookieConfig = new SessionCookieSettings(application);
		application.servletContext(this);
		application.sessionCookieConfig(this.sessionCookieConfig);
		if (application.deployment().getTempDirectory() != null) {
			application.attributes().put(TEMPDIR, application.deployment().getTempDirectory());
		}
	}

	@Override
	public String getContextPath() {
		return this.application.contextPath();
	}

	/** Only this context is known, so only it is returned (cross-context access is not supported). */
	@Override
	public ServletContext getContext(String uripath) {
		String contextPath = getContextPath();
		if (uripath != null && (contextPath.isEmpty() || uripath.equals(contextPath)
				|| uripath.startsWith(contextPath + "/"))) {
			return this;
		}
		return null;
	}

	@Override
	public int getMajorVersion() {
		return 6;
	}

	@Override
	public int getMinorVersion() {
		return 1;
	}

	@Override
	public int getEffectiveMajorVersion() {
		return 6;
	}

	@Override
	public int getEffectiveMinorVersion() {
		return 1;
	}

	@Override
	public String getMimeType(String file) {
		if (file == null) {
			return null;
		}
		int slash = file.lastIndexOf('/');
		int dot = file.lastIndexOf('.');
		if (dot <= slash) {
			return null;
		}
		return this.application.deployment().getMimeMappings().get(file.substring(dot + 1).toLowerCase(Locale.ROOT));
	}

	@Override
	public Set<String> getResourcePaths(String path) {
		return this.application.resources().list(path);
	}

	@Override
	public URL getResource(String path) throws MalformedURLException {
		if (path == null || !path.startsWith("/")) {
			throw new MalformedURLException("Resource path must start with '/': " + path);
		}
		StaticResource resource = this.application.resources().find(path);
		return (resource != null) ? resource.url() : null;
	}

	/** {@code null} for a directory too, as in Tomcat: a directory has no content to read. */
	@Override
	public InputStream getResourceAsStream(String path) {
		StaticResource resource = this.application.resources().find(path);
		if (resource == null || resource.isDirectory()) {
			return null;
		}
		try {
			return resource.open();
		}
		catch (IOException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Cannot read " + resource, ex);
			}
			return null;
		}
	}

	@Override
	public RequestDispatcher getRequestDispatcher(String path) {
		if (path == null || !path.startsWith("/")) {
			return null;
		}
		return this.application.dispatchers().forPath(path);
	}

	@Override
	public RequestDispatcher getNamedDispatcher(String name) {
		return (name != null) ? this.application.dispatchers().forName(name) : null;
	}

	@Override
	public void log(String msg) {
		logger.info(msg);
	}

	@Override
	public void log(String message, Throwable throwable) {
		logger.error(message, throwable);
	}

	/** A path under the document root when there is one (it need not exist yet); {@code null} otherwise. */
	@Override
	public String getRealPath(String path) {
		java.io.File documentRoot = this.application.deployment().getDocumentRoot();
		if (documentRoot == null || path == null || path.contains("..")) {
			return null;
		}
		String relative = path.startsWith("/") ? path.substring(1) : path;
		return documentRoot.toPath().resolve(relative).toAbsolutePath().toString();
	}

	@Override
	public String getServerInfo() {
		return this.application.deployment().getServerInfo();
	}

	@Override
	public String getInitParameter(String name) {
		if (name == null) {
			throw new NullPointerException("Init parameter name must not be null");
		}
		return this.application.initParameter(name);
	}

	@Override
	public Enumeration<String> getInitParameterNames() {
		return Collections.enumeration(this.application.initParameterNames());
	}

	@Override
	public boolean setInitParameter(String name, String value) {
		if (name == null) {
			throw new NullPointerException("Init parameter name must not be null");
		}
		return this.application.addInitParameter(name, value);
	}

	@Override
	public Object getAttribute(String name) {
		if (name == null) {
			throw new NullPointerException("Attribute name must not be null");
		}
		return this.application.attributes().get(name);
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		return Collections.enumeration(new java.util.ArrayList<>(this.application.attributes().keySet()));
	}

	@Override
	public void setAttribute(String name, Object value) {
		if (name == null) {
			throw new NullPointerException("Attribute name must not be null");
		}
		if (value == null) {
			removeAttribute(name);
			return;
		}
		Object old = this.application.attributes().put(name, value);
		for (ServletContextAttributeListener listener : this.application.listeners().contextAttribute()) {
			if (old == null) {
				listener.attributeAdded(new ServletContextAttributeEvent(this, name, value));
			}
			else {
				listener.attributeReplaced(new ServletContextAttributeEvent(this, name, old));
			}
		}
	}

	@Override
	public void removeAttribute(String name) {
		Object old = this.application.attributes().remove(name);
		if (old != null) {
			for (ServletContextAttributeListener listener : this.application.listeners().contextAttribute()) {
				listener.attributeRemoved(new ServletContextAttributeEvent(this, name, old));
			}
		}
	}

	@Override
	public String getServletContextName() {
		return this.application.deployment().getDisplayName();
	}

	@Override
	public ServletRegistration.Dynamic addServlet(String servletName, String className) {
		return this.application.addServlet(servletName, null, null, requireNonEmpty(className, "className"));
	}

	@Override
	public ServletRegistration.Dynamic addServlet(String servletName, Servlet servlet) {
		if (servlet == null) {
			throw new IllegalArgumentException("Servlet must not be null");
		}
		return this.application.addServlet(servletName, servlet, null, null);
	}

	@Override
	public ServletRegistration.Dynamic addServlet(String servletName, Class<? extends Servlet> servletClass) {
		if (servletClass == null) {
			throw new IllegalArgumentException("Servlet class must not be null");
		}
		return this.application.addServlet(servletName, null, servletClass, null);
	}

	/** There is no JSP engine. */
	@Override
	public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
		throw new UnsupportedOperationException("JSP is not supported");
	}

	@Override
	public <T extends Servlet> T createServlet(Class<T> clazz) throws ServletException {
		return this.application.instantiate(clazz);
	}

	@Override
	public ServletRegistration getServletRegistration(String servletName) {
		return this.application.servlet(servletName);
	}

	@Override
	public Map<String, ? extends ServletRegistration> getServletRegistrations() {
		return this.application.servlets();
	}

	@Override
	public FilterRegistration.Dynamic addFilter(String filterName, String className) {
		return this.application.addFilter(filterName, null, null, requireNonEmpty(className, "className"));
	}

	@Override
	public FilterRegistration.Dynamic addFilter(String filterName, Filter filter) {
		if (filter == null) {
			throw new IllegalArgumentException("Filter must not be null");
		}
		return this.application.addFilter(filterName, filter, null, null);
	}

	@Override
	public FilterRegistration.Dynamic addFilter(String filterName, Class<? extends Filter> filterClass) {
		if (filterClass == null) {
			throw new IllegalArgumentException("Filter class must not be null");
		}
		return this.application.addFilter(filterName, null, filterClass, null);
	}

	@Override
	public <T extends Filter> T createFilter(Class<T> clazz) throws ServletException {
		return this.application.instantiate(clazz);
	}

	@Override
	public FilterRegistration getFilterRegistration(String filterName) {
		return this.application.filter(filterName);
	}

	@Override
	public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
		return this.application.filters();
	}

	@Override
	public SessionCookieConfig getSessionCookieConfig() {
		return this.sessionCookieConfig;
	}

	/**
	 * Cookie, URL ({@code ;jsessionid=} and {@code encodeURL}) or SSL (the TLS session's id) tracking, as the spec
	 * and Tomcat have them; SSL cannot be combined with the others (spec 7.1.4).
	 */
	@Override
	public void setSessionTrackingModes(Set<SessionTrackingMode> sessionTrackingModes) {
		this.application.checkNotStarted();
		Set<SessionTrackingMode> modes = (sessionTrackingModes != null) ? sessionTrackingModes : Set.of();
		if (modes.contains(SessionTrackingMode.SSL) && modes.size() > 1) {
			throw new IllegalArgumentException("SSL session tracking cannot be combined with other tracking modes: "
					+ modes + ". Use ssl alone, or cookie and url.");
		}
		this.application.sessionTrackingModes(modes);
	}

	/** Cookies only: URL rewriting puts session ids where logs and Referer headers keep them, so it is opt-in. */
	@Override
	public Set<SessionTrackingMode> getDefaultSessionTrackingModes() {
		return EnumSet.of(SessionTrackingMode.COOKIE);
	}

	@Override
	public Set<SessionTrackingMode> getEffectiveSessionTrackingModes() {
		Set<SessionTrackingMode> modes = this.application.sessionTrackingModes();
		return modes.isEmpty() ? EnumSet.noneOf(SessionTrackingMode.class) : EnumSet.copyOf(modes);
	}

	@Override
	public void addListener(String className) {
		try {
			addListener(this.application.loadClass(className, EventListener.class));
		}
		catch (ServletException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	@Override
	public <T extends EventListener> void addListener(T listener) {
		if (listener == null) {
			throw new IllegalArgumentException("Listener must not be null");
		}
		this.application.addListener(listener);
	}

	@Override
	public void addListener(Class<? extends EventListener> listenerClass) {
		try {
			addListener(createListener(listenerClass));
		}
		catch (ServletException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	@Override
	public <T extends EventListener> T createListener(Class<T> clazz) throws ServletException {
		return this.application.instantiate(clazz);
	}

	@Override
	public JspConfigDescriptor getJspConfigDescriptor() {
		return null;
	}

	@Override
	public ClassLoader getClassLoader() {
		return this.application.deployment().getClassLoader();
	}

	/** No container security: roles are accepted and have no effect. */
	@Override
	public void declareRoles(String... roleNames) {
		this.application.checkNotStarted();
	}

	@Override
	public String getVirtualServerName() {
		return this.application.deployment().getVirtualServerName();
	}

	@Override
	public int getSessionTimeout() {
		return this.application.sessionTimeoutMinutes();
	}

	@Override
	public void setSessionTimeout(int sessionTimeout) {
		this.application.sessionTimeoutMinutes(sessionTimeout);
	}

	@Override
	public String getRequestCharacterEncoding() {
		return this.application.requestCharacterEncoding();
	}

	@Override
	public void setRequestCharacterEncoding(String encoding) {
		checkCharset(encoding);
		this.application.requestCharacterEncoding(encoding);
	}

	@Override
	public String getResponseCharacterEncoding() {
		return this.application.responseCharacterEncoding();
	}

	@Override
	public void setResponseCharacterEncoding(String encoding) {
		checkCharset(encoding);
		this.application.responseCharacterEncoding(encoding);
	}

	private static void checkCharset(String encoding) {
		if (encoding != null && !Charset.isSupported(encoding)) {
			throw new IllegalArgumentException("Unsupported charset " + encoding);
		}
	}

	private static String requireNonEmpty(String value, String what) {
		if (value == null || value.isEmpty()) {
			throw new IllegalArgumentException(what + " must not be null or empty");
		}
		return value;
	}

}
