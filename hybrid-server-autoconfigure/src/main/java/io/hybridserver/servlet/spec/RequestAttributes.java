package io.hybridserver.servlet.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A request's attributes: names and values side by side in two arrays, in the order they were first set.
 *
 * <p>Why not a hash map: Spring MVC sets about twenty attributes on every request (its own, its filters', the handler
 * mapping's) and removes some again, and a {@code ConcurrentHashMap} paid a node per attribute plus a table of 64 slots:
 * about a kilobyte per request, the largest single item the servlet container allocated. Two arrays of 32, made at the
 * first attribute, hold the same in under a third of that. Looking a name up scans at most a few dozen entries, comparing the
 * strings' cached hash codes first; that costs less than hashing a name that is not a constant.
 *
 * <p>Thread-safe, as the attributes of an asynchronous request may be read and written by an application thread and
 * a container thread; the lock is uncontended almost always.
 */
final class RequestAttributes {

	/** Spring MVC sets more than 16 on a plain GET: starting at 32 spares the arrays of 16 and their copy. */
	private static final int INITIAL_CAPACITY = 32;

	private String[] names;

	private Object[] values;

	private int size;

	synchronized Object get(String name) {
		int i = indexOf(name);
		return (i >= 0) ? this.values[i] : null;
	}

	/** Sets a value (not {@code null}) and returns the one it replaced, or {@code null}. */
	synchronized Object put(String name, Object value) {
		int i = indexOf(name);
		if (i >= 0) {
			Object old = this.values[i];
			this.values[i] = value;
			return old;
		}
		if (this.names == null) {
			this.names = new String[INITIAL_CAPACITY];
			this.values = new Object[INITIAL_CAPACITY];
		}
		else if (this.size == this.names.length) {
			this.names = Arrays.copyOf(this.names, this.size * 2);
			this.values = Arrays.copyOf(this.values, this.size * 2);
		}
		this.names[this.size] = name;
		this.values[this.size] = value;
		this.size++;
		return null;
	}

	synchronized void putAll(Map<String, ?> attributes) {
		attributes.forEach(this::put);
	}

	/** Removes a value and returns it, or {@code null} when there was none. */
	synchronized Object remove(String name) {
		int i = indexOf(name);
		if (i < 0) {
			return null;
		}
		Object old = this.values[i];
		int after = this.size - i - 1;
		System.arraycopy(this.names, i + 1, this.names, i, after);
		System.arraycopy(this.values, i + 1, this.values, i, after);
		this.size--;
		this.names[this.size] = null;
		this.values[this.size] = null;
		return old;
	}

	/** A snapshot of the names, in the order they were set. */
	synchronized List<String> names() {
		return (this.size == 0) ? List.of() : List.of(Arrays.copyOf(this.names, this.size));
	}

	private int indexOf(String name) {
		if (name == null) {
			return -1;
		}
		int hash = name.hashCode();
		String[] keys = this.names;
		for (int i = this.size - 1; i >= 0; i--) {
			String key = keys[i];
			if (key == name || (key.hashCode() == hash && key.equals(name))) {
				return i;
			}
		}
		return -1;
	}

}
