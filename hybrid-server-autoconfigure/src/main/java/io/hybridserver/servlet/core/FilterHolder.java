package io.hybridserver.servlet.core;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/**
 * One registered filter: its registration and its lifecycle. Filters are initialised at start, in registration order,
 * before load-on-startup servlets (as Tomcat does).
 */
public final class FilterHolder extends Registrations implements FilterRegistration.Dynamic {

	private static final Log logger = LogFactory.getLog(FilterHolder.class);

	private final String name;

	private final String className;

	private final Class<? extends Filter> filterClass;

	private volatile Filter instance;

	private volatile boolean initialized;

	private boolean asyncSupported;

	FilterHolder(WebApplication application, String name, Filter instance, Class<? extends Filter> filterClass,
			String className) {
		super(application);
		this.name = name;
		this.instance = instance;
		this.filterClass = filterClass;
		this.className = (className != null) ? className
				: (instance != null) ? instance.getClass().getName() : filterClass.getName();
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
	public void addMappingForServletNames(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
			String... servletNames) {
		application().checkNotStarted();
		if (servletNames == null || servletNames.length == 0) {
			throw new IllegalArgumentException("At least one servlet name is required");
		}
		application().filterChains().add(FilterMapping.forServletNames(this, dispatcherTypes, servletNames),
				isMatchAfter);
	}

	@Override
	public Collection<String> getServletNameMappings() {
		return collect(false);
	}

	@Override
	public void addMappingForUrlPatterns(EnumSet<DispatcherType> dispatcherTypes, boolean isMatchAfter,
			String... urlPatterns) {
		application().checkNotStarted();
		if (urlPatterns == null || urlPatterns.length == 0) {
			throw new IllegalArgumentException("At least one URL pattern is required");
		}
		application().filterChains().add(FilterMapping.forUrlPatterns(this, dispatcherTypes, urlPatterns),
				isMatchAfter);
	}

	@Override
	public Collection<String> getUrlPatternMappings() {
		return collect(true);
	}

	private Collection<String> collect(boolean urlPatterns) {
		Set<String> result = new LinkedHashSet<>();
		for (FilterMapping mapping : application().filterChains().mappings()) {
			if (mapping.holder() == this) {
				result.addAll(urlPatterns ? mapping.urlPatterns() : mapping.servletNames());
			}
		}
		return result;
	}

	@Override
	public void setAsyncSupported(boolean isAsyncSupported) {
		application().checkNotStarted();
		this.asyncSupported = isAsyncSupported;
	}

	public boolean isAsyncSupported() {
		return this.asyncSupported;
	}

	/** The initialised filter; {@link #init()} ran at start, so this is only a read. */
	public Filter filter() {
		return this.instance;
	}

	synchronized void init() throws ServletException {
		if (this.initialized) {
			return;
		}
		Filter filter = this.instance;
		if (filter == null) {
			Class<? extends Filter> type = (this.filterClass != null) ? this.filterClass
					: application().loadClass(this.className, Filter.class);
			filter = application().instantiate(type);
		}
		filter.init(new Config());
		this.instance = filter;
		this.initialized = true;
	}

	synchronized void destroy() {
		if (this.initialized) {
			this.initialized = false;
			try {
				this.instance.destroy();
			}
			catch (RuntimeException ex) {
				logger.warn("Filter '" + this.name + "' failed in destroy()", ex);
			}
		}
	}

	private final class Config implements FilterConfig {

		@Override
		public String getFilterName() {
			return FilterHolder.this.name;
		}

		@Override
		public ServletContext getServletContext() {
			return application().servletContext();
		}

		@Override
		public String getInitParameter(String name) {
			return FilterHolder.this.getInitParameter(name);
		}

		@Override
		public Enumeration<String> getInitParameterNames() {
			return initParameterNames();
		}

	}

}
