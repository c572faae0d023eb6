package io.hybridserver.servlet.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.MappingMatch;

/**
 * Maps a path within the context to a servlet by the rules of Servlet spec section 12.2, in this order: exact match
 * (the empty pattern {@code ""} is the exact match for the context root {@code /}), longest path prefix
 * ({@code /x/*}, including {@code /*}), extension ({@code *.ext}), then the default servlet ({@code /}).
 *
 * <p>Patterns are added only before start; lookups after start see a fixed set, so the maps need no locking beyond
 * the safe publication the concurrent map gives.
 */
public final class ServletMapper {

	private final Map<String, ServletHolder> exact = new ConcurrentHashMap<>();

	/** Prefix (pattern without the trailing {@code /*}) to holder; sorted longest first on every add. */
	private volatile List<Map.Entry<String, ServletHolder>> prefixes = List.of();

	private final Map<String, ServletHolder> extensions = new ConcurrentHashMap<>();

	private volatile ServletHolder contextRoot;

	private volatile ServletHolder defaultServlet;

	/** Validates pattern syntax; the spec defines no other forms, so anything else is the application's mistake. */
	static void checkPattern(String pattern) {
		if (pattern == null) {
			throw new IllegalArgumentException("URL pattern must not be null");
		}
		if (pattern.isEmpty() || pattern.equals("/") || pattern.equals("/*")) {
			return;
		}
		if (pattern.startsWith("*.")) {
			if (pattern.indexOf('/') >= 0 || pattern.length() == 2) {
				throw new IllegalArgumentException("Invalid extension pattern '" + pattern + "'");
			}
			return;
		}
		if (!pattern.startsWith("/")) {
			throw new IllegalArgumentException("URL pattern must start with '/' or '*.': '" + pattern + "'");
		}
		if (pattern.indexOf('*') >= 0 && (!pattern.endsWith("/*") || pattern.indexOf('*') != pattern.length() - 1)) {
			throw new IllegalArgumentException("'*' is allowed only as '/*' suffix or '*.' prefix: '" + pattern + "'");
		}
	}

	/** Patterns already mapped to a different servlet: the spec reports these and maps none of the new ones. */
	Set<String> conflicts(String servletName, String... patterns) {
		Set<String> conflicts = new LinkedHashSet<>();
		for (String pattern : patterns) {
			checkPattern(pattern);
			ServletHolder existing = find(pattern);
			if (existing != null && !existing.getName().equals(servletName)) {
				conflicts.add(pattern);
			}
		}
		return conflicts;
	}

	private ServletHolder find(String pattern) {
		if (pattern.isEmpty()) {
			return this.contextRoot;
		}
		if (pattern.equals("/")) {
			return this.defaultServlet;
		}
		if (pattern.startsWith("*.")) {
			return this.extensions.get(pattern.substring(2));
		}
		if (pattern.endsWith("/*")) {
			String prefix = pattern.substring(0, pattern.length() - 2);
			for (Map.Entry<String, ServletHolder> entry : this.prefixes) {
				if (entry.getKey().equals(prefix)) {
					return entry.getValue();
				}
			}
			return null;
		}
		return this.exact.get(pattern);
	}

	synchronized void add(String pattern, ServletHolder holder) {
		if (pattern.isEmpty()) {
			this.contextRoot = holder;
		}
		else if (pattern.equals("/")) {
			this.defaultServlet = holder;
		}
		else if (pattern.startsWith("*.")) {
			this.extensions.put(pattern.substring(2), holder);
		}
		else if (pattern.endsWith("/*")) {
			List<Map.Entry<String, ServletHolder>> updated = new ArrayList<>(this.prefixes);
			updated.add(Map.entry(pattern.substring(0, pattern.length() - 2), holder));
			updated.sort(Comparator.comparingInt((Map.Entry<String, ServletHolder> e) -> e.getKey().length())
				.reversed());
			this.prefixes = List.copyOf(updated);
		}
		else {
			this.exact.put(pattern, holder);
		}
	}

	/**
	 * Maps a decoded, normalised path within the context (starting with {@code /}).
	 * @return the match, or {@code null} when no servlet maps the path and there is no default servlet
	 */
	public ServletMatch map(String path) {
		if (path.isEmpty()) {
			path = "/";
		}
		if (path.equals("/") && this.contextRoot != null) {
			return new ServletMatch(this.contextRoot, MappingMatch.CONTEXT_ROOT, "", "", "", "/");
		}
		ServletHolder holder = this.exact.get(path);
		if (holder != null) {
			return new ServletMatch(holder, MappingMatch.EXACT, path, path.substring(1), path, null);
		}
		for (Map.Entry<String, ServletHolder> entry : this.prefixes) {
			String prefix = entry.getKey();
			// Not startsWith(prefix + "/"): that built a string per prefix on every request.
			if (prefix.isEmpty() || (path.startsWith(prefix)
					&& (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'))) {
				String pathInfo = path.substring(prefix.length());
				String value = pathInfo.isEmpty() ? "" : pathInfo.substring(1);
				return new ServletMatch(entry.getValue(), MappingMatch.PATH, prefix + "/*", value, prefix,
						pathInfo.isEmpty() ? null : pathInfo);
			}
		}
		int slash = path.lastIndexOf('/');
		int dot = path.lastIndexOf('.');
		if (dot > slash) {
			String extension = path.substring(dot + 1);
			holder = this.extensions.get(extension);
			if (holder != null) {
				return new ServletMatch(holder, MappingMatch.EXTENSION, "*." + extension, path.substring(1, dot),
						path, null);
			}
		}
		holder = this.defaultServlet;
		if (holder != null) {
			return new ServletMatch(holder, MappingMatch.DEFAULT, "/", "", path, null);
		}
		return null;
	}

}
