package io.hybridserver.servlet.core;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.MappingMatch;

/**
 * The outcome of mapping one path: which servlet, by which rule, and how the path splits into servlet path and path
 * info. Immutable, so one match serves every request for its path (see {@link ServletMapper#map}); doubles as the
 * {@link HttpServletMapping} the request exposes.
 */
public final class ServletMatch implements HttpServletMapping {

	private final ServletHolder holder;

	private final MappingMatch match;

	private final String pattern;

	private final String matchValue;

	private final String servletPath;

	private final String pathInfo;

	/** The path this match was made for, so that the mapper can give it again for the same path; null if named. */
	private final String mappedPath;

	ServletMatch(String mappedPath, ServletHolder holder, MappingMatch match, String pattern, String matchValue,
			String servletPath, String pathInfo) {
		this.mappedPath = mappedPath;
		this.holder = holder;
		this.match = match;
		this.pattern = pattern;
		this.matchValue = matchValue;
		this.servletPath = servletPath;
		this.pathInfo = pathInfo;
	}

	/** A match for a named dispatch: no pattern was involved, so the spec leaves the values to us. */
	public static ServletMatch named(ServletHolder holder, String servletPath, String pathInfo) {
		return new ServletMatch(null, holder, null, "", "", servletPath, pathInfo);
	}

	/** Whether this is the match of {@code path} (the same string, usually: the I/O tier reuses repeated targets). */
	boolean isFor(String path) {
		String mapped = this.mappedPath;
		return mapped == path || (mapped != null && mapped.equals(path));
	}

	public ServletHolder holder() {
		return this.holder;
	}

	public String servletPath() {
		return this.servletPath;
	}

	public String pathInfo() {
		return this.pathInfo;
	}

	@Override
	public String getMatchValue() {
		return this.matchValue;
	}

	@Override
	public String getPattern() {
		return this.pattern;
	}

	@Override
	public String getServletName() {
		return this.holder.getName();
	}

	@Override
	public MappingMatch getMappingMatch() {
		return this.match;
	}

	@Override
	public String toString() {
		return "ServletMatch[" + this.match + " '" + this.pattern + "' -> " + this.holder.getName() + "]";
	}

}
