package io.hybridserver.servlet;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hybridserver.http.HttpFields;

/** A list-backed {@link HttpFields} for tests; read-only when built for a request. */
final class TestHttpFields implements HttpFields {

	private final List<Map.Entry<String, String>> fields = new ArrayList<>();

	private boolean readOnly;

	TestHttpFields readOnly() {
		this.readOnly = true;
		return this;
	}

	@Override
	public String get(CharSequence name) {
		for (Map.Entry<String, String> field : this.fields) {
			if (field.getKey().equalsIgnoreCase(name.toString())) {
				return field.getValue();
			}
		}
		return null;
	}

	@Override
	public List<String> getAll(CharSequence name) {
		List<String> values = new ArrayList<>();
		for (Map.Entry<String, String> field : this.fields) {
			if (field.getKey().equalsIgnoreCase(name.toString())) {
				values.add(field.getValue());
			}
		}
		return values;
	}

	@Override
	public boolean contains(CharSequence name) {
		return get(name) != null;
	}

	@Override
	public Set<String> names() {
		Set<String> names = new LinkedHashSet<>();
		outer: for (Map.Entry<String, String> field : this.fields) {
			for (String existing : names) {
				if (existing.equalsIgnoreCase(field.getKey())) {
					continue outer;
				}
			}
			names.add(field.getKey());
		}
		return names;
	}

	@Override
	public int size() {
		return this.fields.size();
	}

	@Override
	public HttpFields set(CharSequence name, String value) {
		remove(name);
		return add(name, value);
	}

	@Override
	public HttpFields add(CharSequence name, String value) {
		check();
		this.fields.add(new AbstractMap.SimpleImmutableEntry<>(name.toString(), value));
		return this;
	}

	@Override
	public HttpFields remove(CharSequence name) {
		check();
		this.fields.removeIf((f) -> f.getKey().equalsIgnoreCase(name.toString()));
		return this;
	}

	@Override
	public void clear() {
		check();
		this.fields.clear();
	}

	@Override
	public Iterator<Map.Entry<String, String>> iterator() {
		return List.copyOf(this.fields).iterator();
	}

	private void check() {
		if (this.readOnly) {
			throw new UnsupportedOperationException("read-only fields");
		}
	}

}
