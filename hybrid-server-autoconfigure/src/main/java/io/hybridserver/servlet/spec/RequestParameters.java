package io.hybridserver.servlet.spec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hybridserver.servlet.core.ClientErrorException;
import io.hybridserver.servlet.core.HexDigits;

/**
 * Request parameters: the query string (always UTF-8, as browsers encode it) and, for a {@code POST} with
 * {@code application/x-www-form-urlencoded}, the body in the request charset. Parsed once, on first access (spec
 * 3.1.1), under two limits: more than {@code maxCount} parameters is a 400, a form body over {@code maxFormSize}
 * bytes a 413, both as {@link ClientErrorException}.
 */
final class RequestParameters {

	private RequestParameters() {
	}

	/**
	 * Parses parameters from a query string into {@code into}; {@code null} query adds nothing.
	 * @param strict whether a name or value not valid in {@code charset}, or an empty name, is a 400 (as on Tomcat)
	 * rather than kept with replacement characters
	 */
	static void parseQuery(String query, Charset charset, Map<String, List<String>> into, int maxCount,
			boolean strict) {
		if (query == null || query.isEmpty()) {
			return;
		}
		int count = count(into);
		int start = 0;
		while (start <= query.length()) {
			int amp = query.indexOf('&', start);
			int end = (amp < 0) ? query.length() : amp;
			if (end > start) {
				if (maxCount >= 0 && ++count > maxCount) {
					throw new ClientErrorException(400, "More than " + maxCount + " request parameters");
				}
				String pair = query.substring(start, end);
				int eq = pair.indexOf('=');
				if (strict && eq == 0) {
					throw new ClientErrorException(400, "A request parameter has an empty name");
				}
				String name = decode((eq < 0) ? pair : pair.substring(0, eq), charset, strict);
				String value = (eq < 0) ? "" : decode(pair.substring(eq + 1), charset, strict);
				into.computeIfAbsent(name, (k) -> new ArrayList<>(1)).add(value);
			}
			if (amp < 0) {
				break;
			}
			start = amp + 1;
		}
	}

	private static int count(Map<String, List<String>> map) {
		int count = 0;
		for (List<String> values : map.values()) {
			count += values.size();
		}
		return count;
	}

	/** Reads a form body, refusing more than {@code maxSize} bytes (negative: unlimited). */
	static String readForm(InputStream in, long declaredLength, long maxSize, Charset charset, boolean strict) {
		if (maxSize >= 0 && declaredLength > maxSize) {
			throw new ClientErrorException(413, "Form body of " + declaredLength + " bytes exceeds " + maxSize);
		}
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream(
					(int) Math.min(Math.max(declaredLength, 256), 64 * 1024));
			byte[] chunk = new byte[8192];
			int n;
			while ((n = in.read(chunk, 0, chunk.length)) >= 0) {
				bytes.write(chunk, 0, n);
				if (maxSize >= 0 && bytes.size() > maxSize) {
					throw new ClientErrorException(413, "Form body exceeds " + maxSize + " bytes");
				}
			}
			return strict ? decodeStrictly(bytes.toByteArray(), charset) : bytes.toString(charset);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read the form body", ex);
		}
	}

	/**
	 * {@code application/x-www-form-urlencoded} decoding: {@code +} is a space; a bad escape is a 400, and so are
	 * bytes not valid in {@code charset} when {@code strict} (else each becomes U+FFFD).
	 */
	static String decode(String text, Charset charset, boolean strict) {
		if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
			return text;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '+') {
				bytes.write(' ');
			}
			else if (c == '%') {
				if (i + 2 >= text.length()) {
					throw new ClientErrorException(400, "Truncated percent-escape in parameters");
				}
				int hi = HexDigits.value(text.charAt(i + 1));
				int lo = HexDigits.value(text.charAt(i + 2));
				if (hi < 0 || lo < 0) {
					throw new ClientErrorException(400, "Malformed percent-escape in parameters");
				}
				bytes.write((hi << 4) | lo);
				i += 2;
			}
			else if (c < 0x80) {
				bytes.write(c);
			}
			else {
				// A character outside the BMP is two chars: encode the pair, not each half (each would be a '?').
				int next = (Character.isHighSurrogate(c) && i + 1 < text.length()
						&& Character.isLowSurrogate(text.charAt(i + 1))) ? i + 2 : i + 1;
				byte[] encoded = text.substring(i, next).getBytes(charset);
				bytes.write(encoded, 0, encoded.length);
				i = next - 1;
			}
		}
		return strict ? decodeStrictly(bytes.toByteArray(), charset) : bytes.toString(charset);
	}

	private static String decodeStrictly(byte[] bytes, Charset charset) {
		try {
			return charset.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ClientErrorException(400, "A request parameter is not valid " + charset.name());
		}
	}

	/** Freezes parsed parameters into the {@code String[]} shape the spec's map exposes. */
	static Map<String, String[]> freeze(Map<String, List<String>> parsed) {
		Map<String, String[]> result = new LinkedHashMap<>();
		for (Map.Entry<String, List<String>> entry : parsed.entrySet()) {
			result.put(entry.getKey(), entry.getValue().toArray(new String[0]));
		}
		return Collections.unmodifiableMap(result);
	}

	/** A forward's query parameters come first, the original ones after (spec 9.1.1). */
	static Map<String, String[]> merge(Map<String, String[]> first, Map<String, String[]> then) {
		Map<String, String[]> result = new LinkedHashMap<>(then);
		for (Map.Entry<String, String[]> entry : first.entrySet()) {
			String[] later = then.get(entry.getKey());
			if (later == null) {
				result.put(entry.getKey(), entry.getValue());
			}
			else {
				String[] combined = new String[entry.getValue().length + later.length];
				System.arraycopy(entry.getValue(), 0, combined, 0, entry.getValue().length);
				System.arraycopy(later, 0, combined, entry.getValue().length, later.length);
				result.put(entry.getKey(), combined);
			}
		}
		return Collections.unmodifiableMap(result);
	}

	static final Charset QUERY_CHARSET = StandardCharsets.UTF_8;

}
