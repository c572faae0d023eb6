package io.hybridserver.servlet.resource;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Answers to lookups kept for a time to live, found ones and missing ones alike, in at most {@code maxEntries} entries
 * (plus what other threads insert while one evicts). Readers never lock: a hit is one {@link ConcurrentHashMap#get}.
 * A miss runs the loader on the caller's thread without holding any lock (two threads missing the same key both load
 * it, which costs less than making one wait), and the thread whose insert passes the bound evicts (expired entries
 * first, then any) while the others carry on.
 *
 * <p>
 * Also used, outside the servlet container, for Spring MVC's resource chain (see
 * {@code io.hybridserver.autoconfigure.webmvc}).
 *
 * @param <V> the answer; {@code null} answers are cached too
 */
public final class ResourceCache<V> {

	private final ConcurrentHashMap<String, Entry<V>> entries = new ConcurrentHashMap<>();

	private final long ttlNanos;

	private final int maxEntries;

	private final LongSupplier nanoClock;

	private final AtomicBoolean evicting = new AtomicBoolean();

	/**
	 * @param ttl how long an answer is kept; must be positive
	 * @param maxEntries the bound on entries; must be positive
	 * @param nanoClock a monotonic clock in nanoseconds ({@link System#nanoTime} but in tests)
	 */
	public ResourceCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
		if (ttl.isNegative() || ttl.isZero() || maxEntries < 1) {
			throw new IllegalArgumentException("A cache needs a positive time to live and size");
		}
		this.ttlNanos = ttl.toNanos();
		this.maxEntries = maxEntries;
		this.nanoClock = nanoClock;
	}

	/**
	 * The cached answer for the key while it is fresh, else the loader's, which is then cached.
	 * @param hit told whether the answer came from the cache
	 */
	public V get(String key, Function<String, V> loader, Runnable hit) {
		long now = this.nanoClock.getAsLong();
		Entry<V> entry = this.entries.get(key);
		if (entry != null && now - entry.expiresAt < 0) {
			hit.run();
			return entry.value;
		}
		V value = loader.apply(key);
		this.entries.put(key, new Entry<>(value, now + this.ttlNanos));
		if (this.entries.size() > this.maxEntries) {
			evict(now);
		}
		return value;
	}

	public int size() {
		return this.entries.size();
	}

	void clear() {
		this.entries.clear();
	}

	/** Drops expired entries, then (a flood of distinct keys) any entries until a quarter of the room is free. */
	private void evict(long now) {
		if (!this.evicting.compareAndSet(false, true)) {
			return;
		}
		try {
			this.entries.values().removeIf((entry) -> now - entry.expiresAt >= 0);
			int target = this.maxEntries - Math.max(1, this.maxEntries / 4);
			Iterator<Map.Entry<String, Entry<V>>> iterator = this.entries.entrySet().iterator();
			while (this.entries.size() > target && iterator.hasNext()) {
				iterator.next();
				iterator.remove();
			}
		}
		finally {
			this.evicting.set(false);
		}
	}

	private record Entry<V>(V value, long expiresAt) {
	}

}
