package io.hybridserver.metrics;

import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The servlet container's static-resource lookups: {@code hybrid.server.resource.lookups{source}} counts how lookups
 * were answered (cache, index, filesystem, classpath), {@code hybrid.server.resource.cache.entries} and
 * {@code hybrid.server.resource.jars} say how big the cache and the index are. A {@code classpath} count that grows with
 * the traffic means a class loader is asked per request, what the index exists to avoid.
 */
public final class ResourceLookupMeters implements MeterBinder {

	private final Map<String, LongSupplier> lookupsBySource;

	private final IntSupplier cacheEntries;

	private final IntSupplier indexedJars;

	/**
	 * @param lookupsBySource lookup counts by the {@code source} tag's value
	 * @param cacheEntries answers cached now
	 * @param indexedJars jars whose {@code META-INF/resources} is indexed
	 */
	public ResourceLookupMeters(Map<String, LongSupplier> lookupsBySource, IntSupplier cacheEntries,
			IntSupplier indexedJars) {
		this.lookupsBySource = Map.copyOf(lookupsBySource);
		this.cacheEntries = cacheEntries;
		this.indexedJars = indexedJars;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.lookupsBySource.forEach((source, count) -> FunctionCounter
			.builder(HybridServerMeters.PREFIX + "resource.lookups", count, LongSupplier::getAsLong)
			.description("Static resource lookups of the servlet context, by where they were answered")
			.tag("source", source)
			.register(registry));
		Gauge.builder(HybridServerMeters.PREFIX + "resource.cache.entries", this.cacheEntries, IntSupplier::getAsInt)
			.description("Resource lookups cached now, found and not found")
			.strongReference(true)
			.register(registry);
		Gauge.builder(HybridServerMeters.PREFIX + "resource.jars", this.indexedJars, IntSupplier::getAsInt)
			.description("Class-path jars whose META-INF/resources is indexed")
			.strongReference(true)
			.register(registry);
	}

}
