package io.hybridserver.servlet.core;

import java.util.ArrayList;
import java.util.Arrays;
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

	/** Slots of {@link #recent}; a power of two. */
	private static final int RECENT = 256;

	/** Longer paths are mapped afresh: the table holds at most a few hundred kilobytes however long paths are. */
	private static final int MAX_RECENT_LENGTH = 1024;

	private final Map<String, ServletHolder> exact = new ConcurrentHashMap<>();

	/** Prefix (pattern without the trailing {@code /*}) to holder; sorted longest first on every add. */
	private volatile List<Map.Entry<String, ServletHolder>> prefixes = List.of();

	private final Map<String, ServletHolder> extensions = new ConcurrentHashMap<>();

	private volatile ServletHolder contextRoot;

	private volatile ServletHolder defaultServlet;

	/**
	 * The matches made lately, in a slot chosen by the path's hash: a match is immutable, and most requests map one of a
	 * few paths, so the slot usually holds the answer. Spring MVC's DispatcherServlet is the default servlet, whose
	 * match names the path, so without this every request made one. A table of fixed size rather than a map: a miss
	 * costs nothing but the new match (no map entry, no clearing when full), so paths that never repeat cost what
	 * they cost before. Read and written without a lock: a match is published whole through its final fields, and a
	 * reader that loses a race makes its own.
	 */
	private final ServletMatch[] recent = new ServletMatch[RECENT];

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
		Arrays.fill(this.recent, null);
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
		if (path.length() > MAX_RECENT_LENGTH) {
			return mapAfresh(path);
		}
		int slot = path.hashCode() & (RECENT - 1);
		ServletMatch match = this.recent[slot];
		if (match != null && match.isFor(path)) {
			return match;
		}
		match = mapAfresh(path);
		if (match != null) {
			this.recent[slot] = match;
		}
		return match;
	}

	private ServletMatch mapAfresh(String mappedPath) {
		String path = mappedPath.isEmpty() ? "/" : mappedPath;
		if (path.equals("/") && this.contextRoot != null) {
			return new ServletMatch(mappedPath, this.contextRoot, MappingMatch.CONTEXT_ROOT, "", "", "", "/");
		}
		ServletHolder holder = this.exact.get(path);
		if (holder != null) {
			return new ServletMatch(mappedPath, holder, MappingMatch.EXACT, path, path.substring(1), path, null);
		}
		for (Map.Entry<String, ServletHolder> entry : this.prefixes) {
			String prefix = entry.getKey();
			// Not startsWith(prefix + "/"): that built a string per prefix on every request.
			if (prefix.isEmpty() || (path.startsWith(prefix)
					&& (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'))) {
				String pathInfo = path.substring(prefix.length());
				String value = pathInfo.isEmpty() ? "" : pathInfo.substring(1);
				return new ServletMatch(mappedPath, entry.getValue(), MappingMatch.PATH, prefix + "/*", value, prefix,
						pathInfo.isEmpty() ? null : pathInfo);
			}
		}
		int slash = path.lastIndexOf('/');
		int dot = path.lastIndexOf('.');
		if (dot > slash) {
			String extension = path.substring(dot + 1);
			holder = this.extensions.get(extension);
			if (holder != null) {
				return new ServletMatch(mappedPath, holder, MappingMatch.EXTENSION, "*." + extension,
						path.substring(1, dot), path, null);
			}
		}
		holder = this.defaultServlet;
		if (holder != null) {
			return new ServletMatch(mappedPath, holder, MappingMatch.DEFAULT, "/", "", path, null);
		}
		return null;
	}

}
