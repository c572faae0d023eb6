package io.hybridserver.servlet.spec;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.hybridserver.servlet.core.ClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes query and form decoding ({@link RequestParameters}). Seeds run in every build; {@code .ci/fuzz} fuzzes it
 * (docs/fuzzing.md).
 */
class RequestParametersFuzzTest {

	private static final int MAX_COUNT = 16;

	/**
	 * Any query or form text: either a 400 (bad escape, too many parameters) or parameters whose count is within
	 * the limit and equals the number of non-empty {@code &}-separated pairs, each decoded exactly as a reference
	 * decoder (ASCII hex digits only, {@code +} a space, the rest kept) decodes it.
	 */
	@FuzzTest
	void anyQuery(byte[] input) {
		String query = new String(input, StandardCharsets.UTF_8);
		Map<String, List<String>> parsed = new LinkedHashMap<>();
		try {
			RequestParameters.parseQuery(query, StandardCharsets.UTF_8, parsed, MAX_COUNT, false);
		}
		catch (ClientErrorException ex) {
			assertThat(ex.status()).isEqualTo(400);
			return;
		}
		List<String> pairs = new ArrayList<>();
		for (String pair : query.split("&")) {
			if (!pair.isEmpty()) {
				pairs.add(pair);
			}
		}
		assertThat(pairs).hasSizeLessThanOrEqualTo(MAX_COUNT);
		Map<String, List<String>> expected = new LinkedHashMap<>();
		for (String pair : pairs) {
			int eq = pair.indexOf('=');
			String name = referenceDecode((eq < 0) ? pair : pair.substring(0, eq));
			String value = (eq < 0) ? "" : referenceDecode(pair.substring(eq + 1));
			assertThat(name).as("pair %s is valid", pair).isNotNull();
			assertThat(value).as("pair %s is valid", pair).isNotNull();
			expected.computeIfAbsent(name, (k) -> new ArrayList<>()).add(value);
		}
		assertThat(parsed).isEqualTo(expected);
	}

	/** Any text encoded as browsers encode forms (UTF-8, or ISO-8859-1 for Latin-1 text) decodes to itself. */
	@FuzzTest
	void encodedRoundTrip(FuzzedDataProvider data) {
		boolean latin1 = data.consumeBoolean();
		String text = wellFormed(data.consumeRemainingAsString());
		Charset charset = StandardCharsets.UTF_8;
		if (latin1) {
			charset = StandardCharsets.ISO_8859_1;
			text = text.chars().filter((c) -> c < 0x100).collect(StringBuilder::new, StringBuilder::appendCodePoint,
					StringBuilder::append).toString();
		}
		assertThat(RequestParameters.decode(URLEncoder.encode(text, charset), charset, true)).isEqualTo(text);
	}

	/**
	 * Text sent without escapes (curl {@code --data} sends raw UTF-8) is kept as it is, {@code +} aside, whatever
	 * else the value holds.
	 */
	@FuzzTest
	void rawText(FuzzedDataProvider data) {
		String text = wellFormed(data.consumeRemainingAsString()).replace("%", "");
		assertThat(RequestParameters.decode(text, StandardCharsets.UTF_8, true)).isEqualTo(text.replace('+', ' '));
	}

	/** The string without unpaired surrogates, which no charset can encode and no client can send. */
	static String wellFormed(String text) {
		StringBuilder result = new StringBuilder(text.length());
		text.codePoints()
			.filter((cp) -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
			.forEach(result::appendCodePoint);
		return result.toString();
	}

	/** Independent decoding: {@code null} for a malformed escape. */
	private static String referenceDecode(String text) {
		StringBuilder out = new StringBuilder();
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		for (int i = 0; i < text.length();) {
			char c = text.charAt(i);
			if (c == '%') {
				if (i + 2 >= text.length() || hex(text.charAt(i + 1)) < 0 || hex(text.charAt(i + 2)) < 0) {
					return null;
				}
				bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
				i += 3;
				continue;
			}
			out.append(bytes.toString(StandardCharsets.UTF_8));
			bytes.reset();
			int cp = text.codePointAt(i);
			out.appendCodePoint((cp == '+') ? ' ' : cp);
			i += Character.charCount(cp);
		}
		out.append(bytes.toString(StandardCharsets.UTF_8));
		return out.toString();
	}

	private static int hex(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		if (c >= 'A' && c <= 'F') {
			return c - 'A' + 10;
		}
		return -1;
	}

}
