package io.hybridserver.servlet.core;

import java.util.EnumSet;
import java.util.List;

import jakarta.servlet.DispatcherType;

/**
 * One {@code addMappingFor...} call: a filter, the dispatcher types it applies to, and either URL patterns or
 * servlet names. URL patterns follow the servlet mapping syntax (exact, {@code /prefix/*}, {@code *.ext}, {@code /*},
 * {@code /}, {@code ""}).
 */
final class FilterMapping {

	private final FilterHolder holder;

	private final EnumSet<DispatcherType> dispatcherTypes;

	private final List<String> urlPatterns;

	private final List<String> servletNames;

	private FilterMapping(FilterHolder holder, EnumSet<DispatcherType> dispatcherTypes, List<String> urlPatterns,
			List<String> servletNames) {
		this.holder = holder;
		// The spec: a null set means REQUEST only.
		this.dispatcherTypes = (dispatcherTypes == null || dispatcherTypes.isEmpty())
				? EnumSet.of(DispatcherType.REQUEST) : EnumSet.copyOf(dispatcherTypes);
		this.urlPatterns = urlPatterns;
		this.servletNames = servletNames;
	}

	static FilterMapping forUrlPatterns(FilterHolder holder, EnumSet<DispatcherType> types, String... patterns) {
		for (String pattern : patterns) {
			ServletMapper.checkPattern(pattern);
		}
		return new FilterMapping(holder, types, List.of(patterns), List.of());
	}

	static FilterMapping forServletNames(FilterHolder holder, EnumSet<DispatcherType> types, String... names) {
		return new FilterMapping(holder, types, List.of(), List.of(names));
	}

	FilterHolder holder() {
		return this.holder;
	}

	List<String> urlPatterns() {
		return this.urlPatterns;
	}

	List<String> servletNames() {
		return this.servletNames;
	}

	boolean isUrlMapping() {
		return !this.urlPatterns.isEmpty();
	}

	boolean appliesTo(DispatcherType type) {
		return this.dispatcherTypes.contains(type);
	}

	boolean matchesPath(String path) {
		if (path == null) {
			return false;
		}
		for (String pattern : this.urlPatterns) {
			if (matches(pattern, path)) {
				return true;
			}
		}
		return false;
	}

	boolean matchesServlet(String servletName) {
		if (servletName == null) {
			return false;
		}
		for (String name : this.servletNames) {
			if (name.equals("*") || name.equals(servletName)) {
				return true;
			}
		}
		return false;
	}

	/** Filter patterns match on the path within the context, by the same rules servlets map by. */
	static boolean matches(String pattern, String path) {
		if (pattern.equals("/*") || pattern.equals("/")) {
			return true;
		}
		if (pattern.isEmpty()) {
			return path.equals("/");
		}
		if (pattern.endsWith("/*")) {
			String prefix = pattern.substring(0, pattern.length() - 2);
			return path.equals(prefix) || path.startsWith(prefix + "/");
		}
		if (pattern.startsWith("*.")) {
			int slash = path.lastIndexOf('/');
			int dot = path.lastIndexOf('.');
			return dot > slash && path.substring(dot + 1).equals(pattern.substring(2));
		}
		return pattern.equals(path);
	}

}
