package io.hybridserver.servlet.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes percent-decoding and normalisation of request paths ({@link RequestTarget}). Seeds run in every build;
 * {@code .ci/fuzz} fuzzes it (docs/fuzzing.md).
 */
class RequestTargetFuzzTest {

	/**
	 * Any target (the bytes read as UTF-8): a 400, or a path that is absolute, normal (no empty, {@code .} or
	 * {@code ..} segment, so it never climbs above the root), free of control characters and backslashes, made only
	 * of segments that the raw path had (decoding never creates a separator: no {@code %2F}), and that maps to
	 * itself when parsed again.
	 */
	@FuzzTest
	void anyTarget(byte[] input) {
		String target = new String(input, StandardCharsets.UTF_8);
		RequestTarget parsed;
		try {
			parsed = RequestTarget.parse(target);
		}
		catch (ClientErrorException ex) {
			assertThat(ex.status()).isEqualTo(400);
			return;
		}
		String path = parsed.path();
		assertThat(path).startsWith("/").doesNotContain("//", "\\");
		assertThat(path.chars()).noneMatch((c) -> c < 0x20 || c == 0x7f);
		assertThat(target).contains(parsed.requestUri());
		if (parsed.queryString() != null) {
			assertThat(target).contains("?" + parsed.queryString());
		}
		Set<String> rawSegments = new HashSet<>();
		for (String raw : RequestTarget.stripPathParameters(parsed.requestUri()).split("/")) {
			rawSegments.add(referenceDecode(raw));
		}
		for (String segment : path.substring(1).split("/")) {
			if (!segment.isEmpty() || !path.equals("/")) {
				assertThat(segment).isNotIn("", ".", "..");
				assertThat(rawSegments).as("segment %s of %s came from the raw path %s", segment, path, target)
					.contains(segment);
			}
		}
		assertThat(RequestTarget.parse(encode(path)).path()).isEqualTo(path);
	}

	/**
	 * Segments of any text, sent with every character either raw or percent-encoded as UTF-8, come back as they
	 * were, joined by single slashes.
	 */
	@FuzzTest
	void segmentsRoundTrip(FuzzedDataProvider data) {
		int count = data.consumeInt(1, 6);
		List<String> segments = new ArrayList<>();
		StringBuilder target = new StringBuilder();
		for (int i = 0; i < count; i++) {
			String segment = wellFormed(data.consumeString(12)).replaceAll("[\\x00-\\x1f\\x7f/\\\\;?#%]", "");
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				segment = "s" + segment;
			}
			segments.add(segment);
			target.append('/');
			for (int offset = 0; offset < segment.length();) {
				int cp = segment.codePointAt(offset);
				String ch = new String(Character.toChars(cp));
				target.append(data.consumeBoolean() ? percentEncode(ch) : ch);
				offset += Character.charCount(cp);
			}
		}
		String query = data.consumeBoolean() ? "?" + data.consumeAsciiString(8).replace("#", "") : "";
		RequestTarget parsed = RequestTarget.parse(target + query);
		assertThat(parsed.path()).isEqualTo("/" + String.join("/", segments));
		assertThat(parsed.requestUri()).isEqualTo(target.toString());
	}

	/** The path with each segment percent-encoded: what a client would send for it. */
	private static String encode(String path) {
		List<String> encoded = new ArrayList<>();
		for (String segment : path.substring(1).split("/", -1)) {
			encoded.add(percentEncode(segment));
		}
		return "/" + String.join("/", encoded);
	}

	private static String percentEncode(String text) {
		StringBuilder result = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
				result.append((char) c);
			}
			else {
				result.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return result.toString();
	}

	/** Independent decoding: raw characters as UTF-8; {@code null} unless every escape is two ASCII hex digits. */
	private static String referenceDecode(String raw) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < raw.length();) {
			if (raw.charAt(i) == '%') {
				if (i + 2 >= raw.length() || hex(raw.charAt(i + 1)) < 0 || hex(raw.charAt(i + 2)) < 0) {
					return null;
				}
				bytes.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
				i += 3;
				continue;
			}
			int cp = raw.codePointAt(i);
			byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
			bytes.write(utf8, 0, utf8.length);
			i += Character.charCount(cp);
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static int hex(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		if (c >= 'a' && c <= 'f') {
			return c - 'a' + 10;
		}
		return (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
	}

	private static String wellFormed(String text) {
		StringBuilder result = new StringBuilder(text.length());
		text.codePoints()
			.filter((cp) -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
			.forEach(result::appendCodePoint);
		return result.toString();
	}

}
