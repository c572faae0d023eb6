package io.hybridserver.servlet.core;

import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.UnavailableException;

/**
 * One registered servlet: its registration (what the application declared) and its lifecycle (instance, lazy
 * {@code init}, {@code destroy}). The instance is created and initialised at most once, on first use unless
 * load-on-startup asked for start time.
 */
public final class ServletHolder extends Registrations implements ServletRegistration.Dynamic {

	private static final Log logger = LogFactory.getLog(ServletHolder.class);

	private final String name;

	private final String className;

	private final Class<? extends Servlet> servletClass;

	private volatile Servlet instance;

	private volatile boolean initialized;

	private volatile UnavailableException unavailable;

	private final Set<String> mappings = new LinkedHashSet<>();

	private int loadOnStartup = -1;

	private boolean asyncSupported;

	private MultipartConfigElement multipartConfig;

	private String runAsRole;

	private final int order;

	/**
	 * The chain of a dispatch that passes no filter: with nothing to walk it has no position to keep, so one serves every
	 * such dispatch to this servlet rather than a new one each.
	 */
	private final ApplicationFilterChain servletOnly = new ApplicationFilterChain(ApplicationFilterChain.NO_FILTERS,
			this);

	ServletHolder(WebApplication application, String name, Servlet instance, Class<? extends Servlet> servletClass,
			String className, int order) {
		super(application);
		this.name = name;
		this.instance = instance;
		this.servletClass = servletClass;
		this.className = (className != null) ? className
				: (instance != null) ? instance.getClass().getName() : servletClass.getName();
		this.order = order;
	}

	/** The filter chain of a dispatch that passes no filter (see {@link FilterChains#chain}). */
	ApplicationFilterChain servletOnlyChain() {
		return this.servletOnly;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public String getClassName() {
		return this.className;
	}

	@Override
	public Set<String> addMapping(String... urlPatterns) {
		application().checkNotStarted();
		if (urlPatterns == null || urlPatterns.length == 0) {
			throw new IllegalArgumentException("At least one URL pattern is required");
		}
		Set<String> conflicts = application().mapper().conflicts(this.name, urlPatterns);
		if (!conflicts.isEmpty()) {
			return conflicts;
		}
		for (String pattern : urlPatterns) {
			application().mapper().add(pattern, this);
			this.mappings.add(pattern);
		}
		return Collections.emptySet();
	}

	@Override
	public Collection<String> getMappings() {
		return Collections.unmodifiableSet(this.mappings);
	}

	@Override
	public String getRunAsRole() {
		return this.runAsRole;
	}

	@Override
	public void setLoadOnStartup(int loadOnStartup) {
		application().checkNotStarted();
		this.loadOnStartup = loadOnStartup;
	}

	public int getLoadOnStartup() {
		return this.loadOnStartup;
	}

	int order() {
		return this.order;
	}

	/** No container security yet: nothing is constrained, so no pattern conflicts. */
	@Override
	public Set<String> setServletSecurity(ServletSecurityElement constraint) {
		application().checkNotStarted();
		return Collections.emptySet();
	}

	@Override
	public void setMultipartConfig(MultipartConfigElement multipartConfig) {
		application().checkNotStarted();
		this.multipartConfig = multipartConfig;
	}

	public MultipartConfigElement getMultipartConfig() {
		return this.multipartConfig;
	}

	@Override
	public void setRunAsRole(String roleName) {
		application().checkNotStarted();
		this.runAsRole = roleName;
	}

	@Override
	public void setAsyncSupported(boolean isAsyncSupported) {
		application().checkNotStarted();
		this.asyncSupported = isAsyncSupported;
	}

	/** Whether requests reaching this servlet may start asynchronous processing. */
	public boolean isAsyncSupported() {
		return this.asyncSupported;
	}

	/**
	 * The initialised servlet, initialising it on first call. Initialisation runs under this holder's lock so two
	 * first requests cannot both call {@code init}.
	 * @throws UnavailableException if the servlet declared itself unavailable (answered with 503)
	 * @throws ServletException if construction or {@code init} failed (answered with 500, retried next request)
	 */
	public Servlet servlet() throws ServletException {
		if (this.initialized) {
			return this.instance;
		}
		synchronized (this) {
			if (this.unavailable != null) {
				throw this.unavailable;
			}
			if (!this.initialized) {
				Servlet servlet = this.instance;
				if (servlet == null) {
					servlet = instantiate();
				}
				try {
					servlet.init(new Config());
				}
				catch (UnavailableException ex) {
					if (ex.isPermanent()) {
						this.unavailable = ex;
					}
					throw ex;
				}
				this.instance = servlet;
				this.initialized = true;
			}
			return this.instance;
		}
	}

	private Servlet instantiate() throws ServletException {
		Class<? extends Servlet> type = this.servletClass;
		if (type == null) {
			type = application().loadClass(this.className, Servlet.class);
		}
		return application().instantiate(type);
	}

	/** Calls {@code destroy} if {@code init} ran; errors are logged, not thrown, so every servlet gets its turn. */
	public synchronized void destroy() {
		if (this.initialized) {
			this.initialized = false;
			try {
				this.instance.destroy();
			}
			catch (RuntimeException ex) {
				logger.warn("Servlet '" + this.name + "' failed in destroy()", ex);
			}
		}
	}

	private final class Config implements ServletConfig {

		@Override
		public String getServletName() {
			return ServletHolder.this.name;
		}

		@Override
		public ServletContext getServletContext() {
			return application().servletContext();
		}

		@Override
		public String getInitParameter(String name) {
			return ServletHolder.this.getInitParameter(name);
		}

		@Override
		public Enumeration<String> getInitParameterNames() {
			return initParameterNames();
		}

	}

}
