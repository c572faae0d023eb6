package io.hybridserver.http;

import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

import io.netty.handler.codec.CharSequenceValueConverter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Header fields as one array of name and value pairs, in order: a request's, read-only, or a response's, validated
 * as Netty's validating headers validate them.
 *
 * <p>Why not Netty's {@code DefaultHttpHeaders}: that is a hash table (16 slots) with a head entry and an entry object
 * per field, about 180 bytes before the first field and 40 for each, and the server made two for every request (its
 * fields and its response's). A message's fields are few, looked up a few times and, for a request, never changed once
 * decoded: here {@code n} fields cost this object and one array of {@code 2n} references or more, and a lookup scans
 * the names, comparing lengths first, which for the dozen fields of a message costs less than hashing the name does.
 *
 * <p>Names are any {@link CharSequence} (shared {@link AsciiString} constants, mostly) and compare without regard to
 * case. A request's values are {@link String}s, so that reading one allocates nothing. Order is Netty's: {@code set}
 * removes every value of the name and appends the new one at the end.
 *
 * <p>Not thread-safe, as Netty's headers are not: a response's fields belong to the thread that writes the response
 * until it commits them.
 */
public final class ArrayHttpHeaders extends HttpHeaders {

	/** No fields, read-only. */
	public static final ArrayHttpHeaders EMPTY = new ArrayHttpHeaders(new CharSequence[0], 0, false);

	/** What a response's names and values must be: the rules of Netty's validating headers. */
	private static final DefaultHttpHeadersFactory VALIDATING = DefaultHttpHeadersFactory.headersFactory()
		.withValidation(true);

	private static final DefaultHeaders.NameValidator<CharSequence> NAME_VALIDATOR = VALIDATING.getNameValidator();

	private static final DefaultHeaders.ValueValidator<CharSequence> VALUE_VALIDATOR = VALIDATING.getValueValidator();

	/**
	 * Room for a response's first five fields (a JSON answer has three: Content-Type, Content-Length, Date); the array
	 * doubles beyond that.
	 */
	private static final int RESPONSE_CAPACITY = 10;

	/** {@code [name, value, name, value, ...]}, the first {@link #length} elements in use. */
	private CharSequence[] fields;

	private int length;

	/** Whether this is a response's: mutable, validated. A request's refuses every change. */
	private final boolean mutable;

	private ArrayHttpHeaders(CharSequence[] fields, int length, boolean mutable) {
		this.fields = fields;
		this.length = length;
		this.mutable = mutable;
	}

	/**
	 * A request's fields, read-only.
	 * @param fields names and values in turn, each value a {@link String}; owned by the new object from now on (not
	 * copied), so the caller must not change it
	 * @throws IllegalArgumentException if the array does not hold pairs
	 */
	public static ArrayHttpHeaders requestFields(CharSequence[] fields) {
		if ((fields.length & 1) != 0) {
			throw new IllegalArgumentException("Header fields come in name and value pairs, not " + fields.length
					+ " elements");
		}
		return new ArrayHttpHeaders(fields, fields.length, false);
	}

	/**
	 * A request's fields, read-only, held in the first {@code length} elements of {@code fields}: for a translation
	 * that sizes the array from a field section before it knows how many of its fields it keeps (HTTP/2 and HTTP/3,
	 * see {@link HeaderTranslation}). Values there may also be {@link AsciiString}s, as HPACK and QPACK decode them:
	 * an {@code AsciiString} keeps the {@code String} it makes once read, so reading one twice allocates nothing more.
	 * @param fields names and values in turn from index 0, nothing else before {@code length}; owned by the new object
	 * from now on (not copied), so the caller must not change it
	 * @throws IllegalArgumentException if {@code length} is not an even number within the array
	 */
	public static ArrayHttpHeaders requestFields(CharSequence[] fields, int length) {
		if (length < 0 || length > fields.length || (length & 1) != 0) {
			throw new IllegalArgumentException("Header fields come in name and value pairs, not " + length
					+ " elements of " + fields.length);
		}
		return new ArrayHttpHeaders(fields, length, false);
	}

	/**
	 * Empty fields for a response: names must be tokens, and values hold no CR, LF, NUL or other control character
	 * but HTAB (a value that would split a field is refused when it is set, whichever protocol encodes it).
	 */
	public static ArrayHttpHeaders responseFields() {
		return new ArrayHttpHeaders(new CharSequence[RESPONSE_CAPACITY], 0, true);
	}

	/** The name of field {@code index} (0 for the first, below {@link #size()}), as it was given. */
	public CharSequence nameAt(int index) {
		return this.fields[index << 1];
	}

	/** The value of field {@code index} (0 for the first, below {@link #size()}). */
	public CharSequence valueAt(int index) {
		return this.fields[(index << 1) + 1];
	}

	private static boolean sameName(CharSequence field, CharSequence name) {
		return field == name || (field.length() == name.length() && AsciiString.contentEqualsIgnoreCase(field, name));
	}

	/** The index in {@link #fields} of the first value of {@code name} at or after {@code from}, or -1. */
	private int valueIndex(CharSequence name, int from) {
		Objects.requireNonNull(name, "name");
		CharSequence[] fields = this.fields;
		int length = this.length;
		for (int i = from; i < length; i += 2) {
			if (sameName(fields[i], name)) {
				return i + 1;
			}
		}
		return -1;
	}

	private CharSequence first(CharSequence name) {
		int i = valueIndex(name, 0);
		return (i >= 0) ? this.fields[i] : null;
	}

	private static String string(CharSequence value) {
		return (value != null) ? value.toString() : null;
	}

	// ---- reading

	@Override
	public String get(String name) {
		return string(first(name));
	}

	@Override
	public String get(CharSequence name) {
		return string(first(name));
	}

	@Override
	public Integer getInt(CharSequence name) {
		CharSequence value = first(name);
		return (value != null) ? CharSequenceValueConverter.INSTANCE.convertToInt(value) : null;
	}

	@Override
	public int getInt(CharSequence name, int defaultValue) {
		CharSequence value = first(name);
		return (value != null) ? CharSequenceValueConverter.INSTANCE.convertToInt(value) : defaultValue;
	}

	@Override
	public Short getShort(CharSequence name) {
		CharSequence value = first(name);
		return (value != null) ? CharSequenceValueConverter.INSTANCE.convertToShort(value) : null;
	}

	@Override
	public short getShort(CharSequence name, short defaultValue) {
		CharSequence value = first(name);
		return (value != null) ? CharSequenceValueConverter.INSTANCE.convertToShort(value) : defaultValue;
	}

	@Override
	public Long getTimeMillis(CharSequence name) {
		CharSequence value = first(name);
		return (value != null) ? CharSequenceValueConverter.INSTANCE.convertToTimeMillis(value) : null;
	}

	@Override
	public long getTimeMillis(CharSequence name, long defaultValue) {
		CharSequence value = first(name);
		return (value != null) ? CharSequenceValueConverter.INSTANCE.convertToTimeMillis(value) : defaultValue;
	}

	@Override
	public List<String> getAll(String name) {
		return getAll((CharSequence) name);
	}

	/** The values of {@code name} in order; an immutable empty list when there is none. */
	@Override
	public List<String> getAll(CharSequence name) {
		int i = valueIndex(name, 0);
		if (i < 0) {
			return Collections.emptyList();
		}
		List<String> values = new ArrayList<>(2);
		do {
			values.add(this.fields[i].toString());
			i = valueIndex(name, i + 1);
		}
		while (i >= 0);
		return values;
	}

	@Override
	public List<Map.Entry<String, String>> entries() {
		List<Map.Entry<String, String>> entries = new ArrayList<>(size());
		for (int i = 0; i < this.length; i += 2) {
			entries.add(new SimpleImmutableEntry<>(this.fields[i].toString(), this.fields[i + 1].toString()));
		}
		return entries;
	}

	@Override
	public boolean contains(String name) {
		return valueIndex(name, 0) >= 0;
	}

	@Override
	public boolean contains(CharSequence name) {
		return valueIndex(name, 0) >= 0;
	}

	/** Whether a value of {@code name} is {@code value} as a whole (see {@link #containsValue} for lists). */
	@Override
	public boolean contains(String name, String value, boolean ignoreCase) {
		return contains((CharSequence) name, value, ignoreCase);
	}

	@Override
	public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
		for (int i = valueIndex(name, 0); i >= 0; i = valueIndex(name, i + 1)) {
			CharSequence field = this.fields[i];
			if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(field, value)
					: AsciiString.contentEquals(field, value)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a value of {@code name}, read as a comma-separated list, has {@code value} as an element (trimmed), as
	 * Netty's headers answer: {@code Connection: keep-alive, Upgrade} contains {@code upgrade}. Without an iterator
	 * or a sub-sequence per element: it is asked of every message (framing, keep-alive).
	 */
	@Override
	public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
		for (int i = valueIndex(name, 0); i >= 0; i = valueIndex(name, i + 1)) {
			if (listContains(this.fields[i], value, ignoreCase)) {
				return true;
			}
		}
		return false;
	}

	private static boolean listContains(CharSequence list, CharSequence wanted, boolean ignoreCase) {
		int length = list.length();
		int start = 0;
		while (start <= length) {
			int end = AsciiString.indexOf(list, ',', start);
			if (end < 0) {
				end = length;
			}
			int from = start;
			int to = end;
			while (from < to && list.charAt(from) <= ' ') {
				from++;
			}
			while (to > from && list.charAt(to - 1) <= ' ') {
				to--;
			}
			if (to - from == wanted.length()
					&& AsciiString.regionMatches(list, ignoreCase, from, wanted, 0, wanted.length())) {
				return true;
			}
			start = end + 1;
		}
		return false;
	}

	@Override
	public Iterator<String> valueStringIterator(CharSequence name) {
		Iterator<CharSequence> values = new Values(name);
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return values.hasNext();
			}

			@Override
			public String next() {
				return values.next().toString();
			}

		};
	}

	@Override
	public Iterator<? extends CharSequence> valueCharSequenceIterator(CharSequence name) {
		return new Values(name);
	}

	@Override
	public Iterator<Map.Entry<String, String>> iterator() {
		return new Fields<>() {

			@Override
			Map.Entry<String, String> entry(CharSequence name, CharSequence value) {
				return new SimpleImmutableEntry<>(name.toString(), value.toString());
			}

		};
	}

	@Override
	public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
		return new Fields<>() {

			@Override
			Map.Entry<CharSequence, CharSequence> entry(CharSequence name, CharSequence value) {
				return new SimpleImmutableEntry<>(name, value);
			}

		};
	}

	@Override
	public boolean isEmpty() {
		return this.length == 0;
	}

	@Override
	public int size() {
		return this.length >>> 1;
	}

	/** The names as they were given, each spelling once (as Netty's headers give them). */
	@Override
	public Set<String> names() {
		if (isEmpty()) {
			return Collections.emptySet();
		}
		Set<String> names = new LinkedHashSet<>();
		for (int i = 0; i < this.length; i += 2) {
			names.add(this.fields[i].toString());
		}
		return names;
	}

	// ---- changes: a response's only

	@Override
	public HttpHeaders add(String name, Object value) {
		return add((CharSequence) name, value);
	}

	@Override
	public HttpHeaders add(CharSequence name, Object value) {
		checkMutable();
		append(validName(name), validValue(value));
		return this;
	}

	@Override
	public HttpHeaders add(String name, Iterable<?> values) {
		return add((CharSequence) name, values);
	}

	@Override
	public HttpHeaders add(CharSequence name, Iterable<?> values) {
		checkMutable();
		CharSequence valid = validName(name);
		for (Object value : values) {
			append(valid, validValue(value));
		}
		return this;
	}

	@Override
	public HttpHeaders addInt(CharSequence name, int value) {
		return add(name, Integer.toString(value));
	}

	@Override
	public HttpHeaders addShort(CharSequence name, short value) {
		return add(name, Short.toString(value));
	}

	@Override
	public HttpHeaders set(String name, Object value) {
		return set((CharSequence) name, value);
	}

	@Override
	public HttpHeaders set(CharSequence name, Object value) {
		checkMutable();
		CharSequence valid = validName(name);
		CharSequence text = validValue(value);
		removeAll(valid);
		append(valid, text);
		return this;
	}

	@Override
	public HttpHeaders set(String name, Iterable<?> values) {
		return set((CharSequence) name, values);
	}

	@Override
	public HttpHeaders set(CharSequence name, Iterable<?> values) {
		checkMutable();
		CharSequence valid = validName(name);
		removeAll(valid);
		for (Object value : values) {
			if (value == null) {
				break;
			}
			append(valid, validValue(value));
		}
		return this;
	}

	@Override
	public HttpHeaders setInt(CharSequence name, int value) {
		return set(name, Integer.toString(value));
	}

	@Override
	public HttpHeaders setShort(CharSequence name, short value) {
		return set(name, Short.toString(value));
	}

	@Override
	public HttpHeaders remove(String name) {
		return remove((CharSequence) name);
	}

	@Override
	public HttpHeaders remove(CharSequence name) {
		checkMutable();
		removeAll(name);
		return this;
	}

	@Override
	public HttpHeaders clear() {
		checkMutable();
		Arrays.fill(this.fields, 0, this.length, null);
		this.length = 0;
		return this;
	}

	private void checkMutable() {
		if (!this.mutable) {
			throw new UnsupportedOperationException("A request's header fields are read-only");
		}
	}

	private static CharSequence validName(CharSequence name) {
		Objects.requireNonNull(name, "name");
		NAME_VALIDATOR.validateName(name);
		return name;
	}

	/** The value as Netty's headers store it (a date in HTTP's format, anything else as text), validated. */
	private static CharSequence validValue(Object value) {
		Objects.requireNonNull(value, "value");
		CharSequence text;
		if (value instanceof CharSequence chars) {
			text = chars;
		}
		else if (value instanceof Date date) {
			text = DateFormatter.format(date);
		}
		else if (value instanceof Calendar calendar) {
			text = DateFormatter.format(calendar.getTime());
		}
		else {
			text = value.toString();
		}
		VALUE_VALIDATOR.validate(text);
		return text;
	}

	private void append(CharSequence name, CharSequence value) {
		int at = this.length;
		if (at + 2 > this.fields.length) {
			this.fields = Arrays.copyOf(this.fields, Math.max(RESPONSE_CAPACITY, this.fields.length * 2));
		}
		this.fields[at] = name;
		this.fields[at + 1] = value;
		this.length = at + 2;
	}

	/** Removes every field of {@code name}, keeping the others in order. */
	private void removeAll(CharSequence name) {
		int i = valueIndex(name, 0);
		if (i < 0) {
			return;
		}
		CharSequence[] fields = this.fields;
		int kept = i - 1;
		for (int from = i + 1; from < this.length; from += 2) {
			if (!sameName(fields[from], name)) {
				fields[kept] = fields[from];
				fields[kept + 1] = fields[from + 1];
				kept += 2;
			}
		}
		Arrays.fill(fields, kept, this.length, null);
		this.length = kept;
	}

	/** The values of one name, found as the iteration goes: no list is made. */
	private final class Values implements Iterator<CharSequence> {

		private final CharSequence name;

		private int next;

		Values(CharSequence name) {
			this.name = name;
			this.next = valueIndex(name, 0);
		}

		@Override
		public boolean hasNext() {
			return this.next >= 0;
		}

		@Override
		public CharSequence next() {
			if (this.next < 0) {
				throw new NoSuchElementException();
			}
			CharSequence value = ArrayHttpHeaders.this.fields[this.next];
			this.next = valueIndex(this.name, this.next + 1);
			return value;
		}

	}

	/**
	 * Every field in order; each entry a new immutable one, so that a caller may keep it. The fields must not change
	 * during the iteration.
	 */
	private abstract class Fields<E> implements Iterator<E> {

		private int next;

		@Override
		public boolean hasNext() {
			return this.next < ArrayHttpHeaders.this.length;
		}

		@Override
		public E next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			CharSequence[] fields = ArrayHttpHeaders.this.fields;
			E entry = entry(fields[this.next], fields[this.next + 1]);
			this.next += 2;
			return entry;
		}

		abstract E entry(CharSequence name, CharSequence value);

	}

}
