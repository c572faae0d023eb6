package io.hybridserver.http;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * {@link HttpFields} over Netty's {@link HttpHeaders}, without copying. Can be sealed: request fields are sealed from the
 * start, response fields once the head is committed, after which the I/O tier owns them. Public for the protocol
 * packages ({@code http.h2}); the application tier sees only {@link HttpFields}.
 */
public final class NettyHttpFields implements HttpFields {

	/** No fields, read-only. */
	public static final HttpFields EMPTY = new NettyHttpFields(EmptyHttpHeaders.INSTANCE, true);


	private final HttpHeaders headers;

	private volatile boolean sealed;

	public NettyHttpFields(HttpHeaders headers, boolean sealed) {
		this.headers = headers;
		this.sealed = sealed;
	}

	/** The fields as Netty holds them. */
	public HttpHeaders headers() {
		return this.headers;
	}

	/** From now on the fields are read-only. */
	public void seal() {
		this.sealed = true;
	}

	@Override
	public String get(CharSequence name) {
		return this.headers.get(name);
	}

	@Override
	public List<String> getAll(CharSequence name) {
		return this.headers.getAll(name);
	}

	@Override
	public boolean contains(CharSequence name) {
		return this.headers.contains(name);
	}

	@Override
	public Set<String> names() {
		// HttpHeaders.names() is case-sensitive in some implementations; keep the first spelling of each name.
		Set<String> names = new LinkedHashSet<>();
		Set<String> seen = new java.util.HashSet<>();
		for (Map.Entry<String, String> entry : this.headers) {
			if (seen.add(entry.getKey().toLowerCase(java.util.Locale.ROOT))) {
				names.add(entry.getKey());
			}
		}
		return names;
	}

	@Override
	public int size() {
		return this.headers.size();
	}

	@Override
	public HttpFields set(CharSequence name, String value) {
		checkWritable();
		this.headers.set(name, value);
		return this;
	}

	@Override
	public HttpFields add(CharSequence name, String value) {
		checkWritable();
		this.headers.add(name, value);
		return this;
	}

	@Override
	public HttpFields remove(CharSequence name) {
		checkWritable();
		this.headers.remove(name);
		return this;
	}

	@Override
	public void clear() {
		checkWritable();
		this.headers.clear();
	}

	@Override
	public Iterator<Map.Entry<String, String>> iterator() {
		return this.headers.iteratorAsString();
	}

	private void checkWritable() {
		if (this.sealed) {
			throw new UnsupportedOperationException("These header fields can no longer be changed");
		}
	}

	@Override
	public String toString() {
		return this.headers.toString();
	}

}
