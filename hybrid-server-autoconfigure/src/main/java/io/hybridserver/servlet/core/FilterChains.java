package io.hybridserver.servlet.core;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;

/**
 * Filter mappings in declaration order and the chains built from them. A chain for a given (dispatcher type, servlet,
 * path) holds URL-pattern filters first and servlet-name filters second, each group in mapping order (spec 6.2.4).
 *
 * <p>Built chains are cached because most applications map every filter to {@code /*} and see few distinct paths
 * that matter; the key includes the path, so the cache is capped and simply cleared when full, which bounds memory
 * against clients that invent paths.
 */
public final class FilterChains {

	static final int MAX_CACHED_CHAINS = 2048;

	private static final String NO_PATH = "\u0000";

	/** Mappings added with {@code isMatchAfter=false} go before the ones added with {@code true}. */
	private final List<FilterMapping> before = new ArrayList<>();

	private final List<FilterMapping> after = new ArrayList<>();

	private volatile List<FilterMapping> all = List.of();

	/**
	 * Built chains by dispatcher type, servlet name and path: maps within maps rather than one map under a key made
	 * of the three, which cost a string per request.
	 */
	private final Map<DispatcherType, Map<String, Map<String, FilterHolder[]>>> cache = new EnumMap<>(
			DispatcherType.class);

	/** Chains in {@link #cache}, counted for its cap. */
	private final AtomicInteger cached = new AtomicInteger();

	public FilterChains() {
		for (DispatcherType type : DispatcherType.values()) {
			this.cache.put(type, new ConcurrentHashMap<>());
		}
	}

	synchronized void add(FilterMapping mapping, boolean isMatchAfter) {
		(isMatchAfter ? this.after : this.before).add(mapping);
		List<FilterMapping> combined = new ArrayList<>(this.before);
		combined.addAll(this.after);
		this.all = List.copyOf(combined);
		clearCache();
	}

	List<FilterMapping> mappings() {
		return this.all;
	}

	/**
	 * The filter chain for one dispatch. A fresh chain object per call because a chain carries its position, unless
	 * there is no filter to pass.
	 * @param type the dispatcher type
	 * @param match the servlet match, its servlet being the end of the chain
	 * @param path the path within the context the filters' URL patterns match against
	 */
	public FilterChain chain(DispatcherType type, ServletMatch match, String path) {
		FilterHolder[] filters = filters(type, match.holder().getName(), path);
		return (filters.length == 0) ? match.holder().servletOnlyChain()
				: new ApplicationFilterChain(filters, match.holder());
	}

	FilterHolder[] filters(DispatcherType type, String servletName, String path) {
		Map<String, Map<String, FilterHolder[]>> byServlet = this.cache.get(type);
		Map<String, FilterHolder[]> byPath = byServlet.get(servletName);
		if (byPath == null) {
			byPath = byServlet.computeIfAbsent(servletName, (name) -> new ConcurrentHashMap<>());
		}
		// A named dispatcher has no path; no request path holds a NUL (RequestTarget refuses it).
		String pathKey = (path != null) ? path : NO_PATH;
		FilterHolder[] filters = byPath.get(pathKey);
		if (filters == null) {
			filters = build(type, servletName, path);
			if (this.cached.incrementAndGet() > MAX_CACHED_CHAINS) {
				clearCache();
				this.cached.incrementAndGet();
			}
			byPath.put(pathKey, filters);
		}
		return filters;
	}

	private void clearCache() {
		for (Map<String, Map<String, FilterHolder[]>> byServlet : this.cache.values()) {
			byServlet.clear();
		}
		this.cached.set(0);
	}

	private FilterHolder[] build(DispatcherType type, String servletName, String path) {
		List<FilterHolder> result = new ArrayList<>();
		List<FilterMapping> mappings = this.all;
		for (FilterMapping mapping : mappings) {
			if (mapping.isUrlMapping() && mapping.appliesTo(type) && mapping.matchesPath(path)) {
				result.add(mapping.holder());
			}
		}
		for (FilterMapping mapping : mappings) {
			if (!mapping.isUrlMapping() && mapping.appliesTo(type) && mapping.matchesServlet(servletName)) {
				result.add(mapping.holder());
			}
		}
		return result.isEmpty() ? ApplicationFilterChain.NO_FILTERS : result.toArray(new FilterHolder[0]);
	}

}
