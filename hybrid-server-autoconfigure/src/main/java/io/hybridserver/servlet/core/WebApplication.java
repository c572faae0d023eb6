package io.hybridserver.servlet.core;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.servlet.ServletDeployment;
import io.hybridserver.servlet.resource.StaticResources;
import io.hybridserver.servlet.session.SessionPersistence;
import io.hybridserver.servlet.session.SessionStore;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;

/**
 * The state of one deployed web application: registrations, mapping, filter chains, listeners, context attributes and
 * init parameters, sessions, and where it is in its lifecycle. The spec facades read and write it; the request flow
 * reads it. Registration is single-threaded (before start); afterwards the state is read-only apart from attributes
 * and sessions, which are concurrent.
 */
public final class WebApplication {

	private enum State { NEW, INITIALIZING, STARTED, STOPPED }

	private final ServletDeployment deployment;

	private final Map<String, ServletHolder> servlets = Collections.synchronizedMap(new LinkedHashMap<>());

	private final Map<String, FilterHolder> filters = Collections.synchronizedMap(new LinkedHashMap<>());

	private final ServletMapper mapper = new ServletMapper();

	private final FilterChains filterChains = new FilterChains();

	private final Listeners listeners = new Listeners();

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final Map<String, String> initParameters = Collections.synchronizedMap(new LinkedHashMap<>());

	/**
	 * Read-only copies of the registrations and init parameters taken when the context starts, after which the spec
	 * allows no change: requests (a named dispatcher per request in Spring MVC's default-servlet handling, init
	 * parameters through Spring's servlet-context property source) read them without the maps' shared lock.
	 */
	private volatile Map<String, ServletHolder> startedServlets;

	private volatile Map<String, FilterHolder> startedFilters;

	private volatile Map<String, String> startedInitParameters;

	private volatile State state = State.NEW;

	private volatile ServletContext servletContext;

	private volatile SessionCookieConfig sessionCookieConfig;

	/** How sessions are tracked; cookies only unless the application asks for more (URL ids leak, so opt-in). */
	private volatile Set<SessionTrackingMode> sessionTrackingModes = Collections
		.unmodifiableSet(EnumSet.of(SessionTrackingMode.COOKIE));

	private volatile Dispatchers dispatchers;

	private volatile ErrorPages errorPages;

	private final SessionStore sessions;

	private final ContainerThreads threads = new ContainerThreads("hybrid");

	private final SessionPersistence persistence;

	private final Object resourcesLock = new Object();

	private volatile StaticResources resources;

	private volatile int sessionTimeoutMinutes;

	private volatile String requestCharacterEncoding;

	private volatile String responseCharacterEncoding;

	public WebApplication(ServletDeployment deployment) {
		this.deployment = deployment;
		this.initParameters.putAll(deployment.getInitParameters());
		long seconds = deployment.getSessionTimeout().getSeconds();
		this.sessionTimeoutMinutes = (seconds <= 0) ? 0 : (int) Math.max(1, (seconds + 59) / 60);
		this.requestCharacterEncoding = deployment.getDefaultRequestCharacterEncoding();
		this.responseCharacterEncoding = deployment.getDefaultResponseCharacterEncoding();
		this.sessions = new SessionStore(this.listeners.session(), this.listeners.sessionAttribute(),
				this.listeners.sessionId(), this::servletContext);
		this.errorPages = errorPagesFromDeployment();
		this.persistence = (deployment.getSessionStoreFile() != null)
				? new SessionPersistence(deployment.getSessionStoreFile().toPath(), deployment.getClassLoader()) : null;
	}

	public ServletDeployment deployment() {
		return this.deployment;
	}

	public String contextPath() {
		return this.deployment.getContextPath();
	}

	public ServletMapper mapper() {
		return this.mapper;
	}

	public FilterChains filterChains() {
		return this.filterChains;
	}

	public Listeners listeners() {
		return this.listeners;
	}

	public Map<String, Object> attributes() {
		return this.attributes;
	}

	/** A context init parameter, or {@code null}. */
	public String initParameter(String name) {
		Map<String, String> started = this.startedInitParameters;
		return (started != null) ? started.get(name) : this.initParameters.get(name);
	}

	/** The init parameters' names, in the order they were set. */
	public List<String> initParameterNames() {
		Map<String, String> started = this.startedInitParameters;
		if (started != null) {
			return List.copyOf(started.keySet());
		}
		synchronized (this.initParameters) {
			return new ArrayList<>(this.initParameters.keySet());
		}
	}

	/** Sets an init parameter unless it is set already (spec); only before the context starts. */
	public boolean addInitParameter(String name, String value) {
		checkNotStarted();
		return this.initParameters.putIfAbsent(name, value) == null;
	}

	public SessionStore sessions() {
		return this.sessions;
	}

	/** The container's threads for asynchronous work and timers. */
	public ContainerThreads threads() {
		return this.threads;
	}

	public ErrorPages errorPages() {
		return this.errorPages;
	}

	public ServletContext servletContext() {
		return this.servletContext;
	}

	public void servletContext(ServletContext servletContext) {
		this.servletContext = servletContext;
	}

	public SessionCookieConfig sessionCookieConfig() {
		return this.sessionCookieConfig;
	}

	public void sessionCookieConfig(SessionCookieConfig config) {
		this.sessionCookieConfig = config;
	}

	public Set<SessionTrackingMode> sessionTrackingModes() {
		return this.sessionTrackingModes;
	}

	public void sessionTrackingModes(Set<SessionTrackingMode> modes) {
		this.sessionTrackingModes = Collections.unmodifiableSet(modes.isEmpty()
				? EnumSet.noneOf(SessionTrackingMode.class) : EnumSet.copyOf(modes));
	}

	/**
	 * The context's static resources, indexed on first use: at the latest when the context starts, so that requests
	 * find the index built. After that, a volatile read.
	 */
	public StaticResources resources() {
		StaticResources result = this.resources;
		if (result == null) {
			synchronized (this.resourcesLock) {
				result = this.resources;
				if (result == null) {
					result = StaticResources.scan(this.deployment.getDocumentRoot(), this.deployment.getClassLoader(),
							this.deployment.getResourceCache());
					this.resources = result;
				}
			}
		}
		return result;
	}

	public Dispatchers dispatchers() {
		return this.dispatchers;
	}

	public void dispatchers(Dispatchers dispatchers) {
		this.dispatchers = dispatchers;
	}

	public int sessionTimeoutMinutes() {
		return this.sessionTimeoutMinutes;
	}

	public void sessionTimeoutMinutes(int minutes) {
		checkNotStarted();
		this.sessionTimeoutMinutes = minutes;
	}

	public String requestCharacterEncoding() {
		return this.requestCharacterEncoding;
	}

	public void requestCharacterEncoding(String encoding) {
		checkNotStarted();
		this.requestCharacterEncoding = encoding;
	}

	public String responseCharacterEncoding() {
		return this.responseCharacterEncoding;
	}

	public void responseCharacterEncoding(String encoding) {
		checkNotStarted();
		this.responseCharacterEncoding = encoding;
	}

	/** Whether the context is past initialisation, when the spec forbids configuration changes. */
	public boolean isStarted() {
		return this.state == State.STARTED || this.state == State.STOPPED;
	}

	public boolean isStopped() {
		return this.state == State.STOPPED;
	}

	/** Throws the spec's {@link IllegalStateException} once the context has been initialised. */
	public void checkNotStarted() {
		if (isStarted()) {
			throw new IllegalStateException("The servlet context has already been initialized");
		}
	}

	// ---- registration -----------------------------------------------------------------------------------------

	/** Registers a servlet; {@code null} when the name is taken (spec). Exactly one of the three sources is set. */
	public ServletHolder addServlet(String name, Servlet instance, Class<? extends Servlet> type, String className) {
		checkNotStarted();
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("Servlet name must not be null or empty");
		}
		synchronized (this.servlets) {
			if (this.servlets.containsKey(name)) {
				return null;
			}
			ServletHolder holder = new ServletHolder(this, name, instance, type, className, this.servlets.size());
			this.servlets.put(name, holder);
			return holder;
		}
	}

	public ServletHolder servlet(String name) {
		Map<String, ServletHolder> started = this.startedServlets;
		return (started != null) ? started.get(name) : this.servlets.get(name);
	}

	public Map<String, ServletHolder> servlets() {
		Map<String, ServletHolder> started = this.startedServlets;
		if (started != null) {
			return started;
		}
		synchronized (this.servlets) {
			return Collections.unmodifiableMap(new LinkedHashMap<>(this.servlets));
		}
	}

	/** Registers a filter; {@code null} when the name is taken (spec). */
	public FilterHolder addFilter(String name, Filter instance, Class<? extends Filter> type, String className) {
		checkNotStarted();
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException("Filter name must not be null or empty");
		}
		synchronized (this.filters) {
			if (this.filters.containsKey(name)) {
				return null;
			}
			FilterHolder holder = new FilterHolder(this, name, instance, type, className);
			this.filters.put(name, holder);
			return holder;
		}
	}

	public FilterHolder filter(String name) {
		Map<String, FilterHolder> started = this.startedFilters;
		return (started != null) ? started.get(name) : this.filters.get(name);
	}

	public Map<String, FilterHolder> filters() {
		Map<String, FilterHolder> started = this.startedFilters;
		if (started != null) {
			return started;
		}
		synchronized (this.filters) {
			return Collections.unmodifiableMap(new LinkedHashMap<>(this.filters));
		}
	}

	public void addListener(EventListener listener) {
		checkNotStarted();
		this.listeners.add(listener);
	}

	public <T> Class<? extends T> loadClass(String className, Class<T> expected) throws ServletException {
		try {
			Class<?> type = Class.forName(className, false, this.deployment.getClassLoader());
			if (!expected.isAssignableFrom(type)) {
				throw new IllegalArgumentException(className + " is not a " + expected.getName());
			}
			return type.asSubclass(expected);
		}
		catch (ClassNotFoundException ex) {
			throw new ServletException("Cannot load class " + className, ex);
		}
	}

	/** Instantiates through the public no-arg constructor, as {@code createServlet}/{@code createFilter} require. */
	public <T> T instantiate(Class<T> type) throws ServletException {
		try {
			return type.getDeclaredConstructor().newInstance();
		}
		catch (InvocationTargetException ex) {
			throw new ServletException("Cannot instantiate " + type.getName(), ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new ServletException("Cannot instantiate " + type.getName(), ex);
		}
	}

	// ---- lifecycle ----------------------------------------------------------------------------------------------

	/**
	 * Runs the start sequence after the startups: context listeners in registration order, then filters' init, as
	 * Tomcat does; the load-on-startup servlets follow in {@link #loadOnStartupServlets()}.
	 */
	public void start() throws ServletException {
		if (this.state != State.NEW) {
			throw new IllegalStateException("Already started");
		}
		this.state = State.INITIALIZING;
		ServletContextEvent event = new ServletContextEvent(this.servletContext);
		for (ServletContextListener listener : this.listeners.context()) {
			listener.contextInitialized(event);
		}
		this.state = State.STARTED;
		freezeRegistrations();
		this.errorPages = errorPagesFromDeployment();
		resources();
		if (this.persistence != null) {
			this.persistence.load(this.sessions);
		}
		long sweep = this.deployment.getSessionSweepInterval().toMillis();
		if (sweep > 0) {
			this.threads.scheduleWithFixedDelay(() -> this.sessions.sweep(System.currentTimeMillis()), sweep);
		}
		for (FilterHolder filter : filters().values()) {
			filter.init();
		}
	}

	/**
	 * Initialises the servlets with a load-on-startup value, lowest first (registration order among equals). Apart
	 * from {@link #start()} because Spring Boot expects it when the web server starts, after the application context
	 * is ready, as Tomcat does it; a servlet already initialised is left as it is, so calling it again does nothing.
	 */
	public void loadOnStartupServlets() throws ServletException {
		List<ServletHolder> eager = new ArrayList<>();
		for (ServletHolder holder : servlets().values()) {
			if (holder.getLoadOnStartup() >= 0) {
				eager.add(holder);
			}
		}
		eager.sort(Comparator.comparingInt(ServletHolder::getLoadOnStartup).thenComparingInt(ServletHolder::order));
		for (ServletHolder holder : eager) {
			holder.servlet();
		}
	}

	/** Destroys servlets (reverse registration order), then filters, then tells context listeners in reverse order. */
	public void stop() {
		if (this.state == State.STOPPED) {
			return;
		}
		boolean wasInitialized = this.state != State.NEW;
		this.state = State.STOPPED;
		this.threads.shutdown();
		if (this.persistence != null && wasInitialized) {
			this.persistence.save(this.sessions);
		}
		this.sessions.invalidateAll();
		List<ServletHolder> servletList = new ArrayList<>(servlets().values());
		Collections.reverse(servletList);
		servletList.forEach(ServletHolder::destroy);
		List<FilterHolder> filterList = new ArrayList<>(filters().values());
		Collections.reverse(filterList);
		filterList.forEach(FilterHolder::destroy);
		if (wasInitialized) {
			ServletContextEvent event = new ServletContextEvent(this.servletContext);
			for (ServletContextListener listener : this.listeners.contextReversed()) {
				try {
					listener.contextDestroyed(event);
				}
				catch (RuntimeException ex) {
					LogFactory.getLog(WebApplication.class).warn("contextDestroyed failed in " + listener, ex);
				}
			}
		}
		closeResources();
	}

	/** Last, so that {@code contextDestroyed} may still read resources; the jars' file handles go with the context. */
	private void closeResources() {
		synchronized (this.resourcesLock) {
			if (this.resources != null) {
				this.resources.close();
			}
		}
	}

	private void freezeRegistrations() {
		synchronized (this.servlets) {
			this.startedServlets = Collections.unmodifiableMap(new LinkedHashMap<>(this.servlets));
		}
		synchronized (this.filters) {
			this.startedFilters = Collections.unmodifiableMap(new LinkedHashMap<>(this.filters));
		}
		synchronized (this.initParameters) {
			this.startedInitParameters = Collections.unmodifiableMap(new LinkedHashMap<>(this.initParameters));
		}
	}

	private ErrorPages errorPagesFromDeployment() {
		return new ErrorPages(this.deployment.getStatusErrorPages(), this.deployment.getExceptionErrorPages(),
				this.deployment.getGlobalErrorPage());
	}

}
