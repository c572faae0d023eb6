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
import java.util.Arrays;
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

	/**
	 * Reads a form body, refusing more than {@code maxSize} bytes (negative: unlimited), into an array of its exact
	 * size: read straight into an array sized by the declared length (up to 64 KiB, so that a client that declares a
	 * large body and sends nothing does not make the server allocate it), with no copy and no read buffer beside it.
	 */
	static byte[] readForm(InputStream in, long declaredLength, long maxSize) {
		if (maxSize >= 0 && declaredLength > maxSize) {
			throw new ClientErrorException(413, "Form body of " + declaredLength + " bytes exceeds " + maxSize);
		}
		try {
			byte[] bytes = new byte[(int) ((declaredLength >= 0) ? Math.min(declaredLength, 64 * 1024) : 256)];
			int length = 0;
			while (true) {
				if (length == bytes.length) {
					// Full: at the declared length this read only sees the end; otherwise the body goes on.
					int next = in.read();
					if (next < 0) {
						break;
					}
					bytes = Arrays.copyOf(bytes, Math.max(256, (int) Math.min(2L * length, MAX_ARRAY)));
					bytes[length++] = (byte) next;
				}
				else {
					int n = in.read(bytes, length, bytes.length - length);
					if (n < 0) {
						break;
					}
					length += n;
				}
				if (maxSize >= 0 && length > maxSize) {
					throw new ClientErrorException(413, "Form body exceeds " + maxSize + " bytes");
				}
			}
			return (length == bytes.length) ? bytes : Arrays.copyOf(bytes, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Failed to read the form body", ex);
		}
	}

	/**
	 * Parses a form body into {@code into}, under the same rules as {@link #parseQuery} applied to the body decoded
	 * in {@code charset}. What browsers send (every byte ASCII, the rest percent-encoded, in UTF-8 or a Latin
	 * charset) is split and decoded as bytes: one string per name and value and no text of the whole body, no
	 * substrings, no decoder unless an escape decodes to a byte above ASCII. Anything else (raw non-ASCII bytes, a
	 * charset in which an ASCII byte may be part of another character) takes the text path.
	 */
	static void parseForm(byte[] form, Charset charset, Map<String, List<String>> into, int maxCount,
			boolean strict) {
		if (!splitsAsAscii(charset) || !isAscii(form)) {
			String text = strict ? decodeStrictly(form, 0, form.length, charset) : new String(form, charset);
			parseQuery(text, charset, into, maxCount, strict);
			return;
		}
		int count = count(into);
		int start = 0;
		while (start <= form.length) {
			int amp = indexOf(form, '&', start, form.length);
			int end = (amp < 0) ? form.length : amp;
			if (end > start) {
				if (maxCount >= 0 && ++count > maxCount) {
					throw new ClientErrorException(400, "More than " + maxCount + " request parameters");
				}
				int eq = indexOf(form, '=', start, end);
				if (strict && eq == start) {
					throw new ClientErrorException(400, "A request parameter has an empty name");
				}
				String name = decodeAscii(form, start, (eq < 0) ? end : eq, charset, strict);
				String value = (eq < 0) ? "" : decodeAscii(form, eq + 1, end, charset, strict);
				into.computeIfAbsent(name, (k) -> new ArrayList<>(1)).add(value);
			}
			if (amp < 0) {
				break;
			}
			start = amp + 1;
		}
	}

	/**
	 * Whether every byte below 0x80 is that ASCII character and never part of another one, and ASCII text is valid
	 * as it is: then an ASCII form splits at its {@code &} and {@code =} bytes exactly as its decoded text would.
	 */
	private static boolean splitsAsAscii(Charset charset) {
		return charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1)
				|| charset.equals(StandardCharsets.US_ASCII) || charset.name().equals("windows-1252");
	}

	private static boolean isAscii(byte[] bytes) {
		for (byte b : bytes) {
			if (b < 0) {
				return false;
			}
		}
		return true;
	}

	private static int indexOf(byte[] bytes, char c, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] == c) {
				return i;
			}
		}
		return -1;
	}

	/** {@link #decode} of ASCII bytes in a charset that {@link #splitsAsAscii}. */
	private static String decodeAscii(byte[] bytes, int from, int to, Charset charset, boolean strict) {
		int escape = from;
		while (escape < to && bytes[escape] != '%' && bytes[escape] != '+') {
			escape++;
		}
		if (escape == to) {
			// ASCII reads the same in every such charset; Latin-1 makes the compact string without a decoder.
			return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
		}
		byte[] decoded = new byte[to - from];
		int n = escape - from;
		System.arraycopy(bytes, from, decoded, 0, n);
		boolean ascii = true;
		for (int i = escape; i < to; i++) {
			byte c = bytes[i];
			if (c == '+') {
				decoded[n++] = ' ';
			}
			else if (c == '%') {
				if (i + 2 >= to) {
					throw new ClientErrorException(400, "Truncated percent-escape in parameters");
				}
				int hi = HexDigits.value((char) bytes[i + 1]);
				int lo = HexDigits.value((char) bytes[i + 2]);
				if (hi < 0 || lo < 0) {
					throw new ClientErrorException(400, "Malformed percent-escape in parameters");
				}
				int value = (hi << 4) | lo;
				ascii &= value < 0x80;
				decoded[n++] = (byte) value;
				i += 2;
			}
			else {
				decoded[n++] = c;
			}
		}
		if (ascii) {
			return new String(decoded, 0, n, StandardCharsets.ISO_8859_1);
		}
		return strict ? decodeStrictly(decoded, 0, n, charset) : new String(decoded, 0, n, charset);
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
		return strict ? decodeStrictly(bytes.toByteArray(), 0, bytes.size(), charset) : bytes.toString(charset);
	}

	private static String decodeStrictly(byte[] bytes, int offset, int length, Charset charset) {
		try {
			return charset.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, offset, length))
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

	/** The largest array the JVM reliably allocates. */
	private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

}
