package io.hybridserver.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HTTP header fields: names are case-insensitive, a name may carry several values, insertion order is kept.
 * Request fields are read-only; response fields are mutable until the response is committed.
 */
public interface HttpFields extends Iterable<Map.Entry<String, String>> {

	/** The first value of the field, or {@code null}. */
	String get(CharSequence name);

	/** All values of the field in the order received or added; empty when absent. */
	List<String> getAll(CharSequence name);

	/** Whether the field is present. */
	boolean contains(CharSequence name);

	/** The distinct field names, in order of first appearance, as first spelled. */
	Set<String> names();

	/** Number of field lines (a field with two values counts twice). */
	int size();

	/** Replaces every value of the field with this one. */
	HttpFields set(CharSequence name, String value);

	/** Adds a value, keeping existing ones. */
	HttpFields add(CharSequence name, String value);

	/** Removes every value of the field. */
	HttpFields remove(CharSequence name);

	/** Removes every field. */
	void clear();

}
