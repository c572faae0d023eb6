package io.hybridserver.servlet.resource;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the context's resource lookups were answered, counted by where the answer came from; the metrics binder reads it
 * ({@code hybrid.server.resource.lookups{source}}). A lookup that misses the cache counts once for the index and once
 * for each directory it looked in; a count of {@link Source#CLASSPATH} means a class loader was asked, which happens only
 * for class loaders that cannot be listed.
 */
public final class ResourceLookups {

	/** Where an answer came from. */
	public enum Source {

		/** The lookup cache, within its time to live. */
		CACHE("cache"),

		/** The in-memory index of the jars' {@code META-INF/resources}. */
		INDEX("index"),

		/** A file-system look at the document root or a class-path directory. */
		FILESYSTEM("filesystem"),

		/** {@code ClassLoader.getResource}, for a class loader the index could not list. */
		CLASSPATH("classpath");

		private final String tag;

		Source(String tag) {
			this.tag = tag;
		}

		/** The value of the meter's {@code source} tag. */
		public String tag() {
			return this.tag;
		}

	}

	private final Map<Source, LongAdder> counts = new EnumMap<>(Source.class);

	ResourceLookups() {
		for (Source source : Source.values()) {
			this.counts.put(source, new LongAdder());
		}
	}

	void add(Source source, int n) {
		if (n > 0) {
			this.counts.get(source).add(n);
		}
	}

	/** Lookups answered by a source since the context started. */
	public long count(Source source) {
		return this.counts.get(source).sum();
	}

}
