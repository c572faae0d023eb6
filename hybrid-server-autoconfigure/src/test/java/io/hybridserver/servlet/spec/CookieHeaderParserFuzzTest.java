package io.hybridserver.servlet.spec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.servlet.http.Cookie;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link CookieHeaderParser}. Its seeds run in every build (Jazzer's regression mode); {@code .ci/fuzz} fuzzes
 * it (docs/fuzzing.md).
 */
class CookieHeaderParserFuzzTest {

	/**
	 * Any header: the parser is tolerant by contract and never throws; what it returns are cookies that came from
	 * the header, one per pair at most, with names the spec allows and no {@code $} attribute among them.
	 */
	@FuzzTest
	void anyHeader(byte[] input) {
		String header = new String(input, StandardCharsets.ISO_8859_1);
		Cookie[] cookies = CookieHeaderParser.parse(List.of(header));
		assertThat(cookies.length).isLessThanOrEqualTo(header.split(";", -1).length);
		for (Cookie cookie : cookies) {
			assertThat(cookie.getName()).isNotEmpty().doesNotStartWith("$").doesNotContain(";", "=", " ", "\t");
			assertThat(cookie.getName().chars()).allMatch((c) -> c > 0x20 && c < 0x7f);
			assertThat(cookie.getValue()).doesNotContain(";");
			assertThat(header).contains(cookie.getName());
			assertThat(header).contains(cookie.getValue());
		}
	}

	/** Well-formed pairs (RFC 6265 token names, cookie-octet values, some quoted) come back as they were sent. */
	@FuzzTest
	void roundTrip(FuzzedDataProvider data) {
		int count = data.consumeInt(0, 8);
		List<String[]> sent = new ArrayList<>();
		StringBuilder header = new StringBuilder();
		for (int i = 0; i < count; i++) {
			String name = token(data, 1, 12);
			String value = cookieOctets(data, 0, 16);
			boolean quoted = data.consumeBoolean();
			if (header.length() > 0) {
				header.append(data.consumeBoolean() ? "; " : ";");
			}
			header.append(name).append('=').append(quoted ? "\"" + value + "\"" : value);
			sent.add(new String[] { name, value });
		}
		Cookie[] cookies = CookieHeaderParser.parse(List.of(header.toString()));
		assertThat(cookies).hasSize(sent.size());
		for (int i = 0; i < cookies.length; i++) {
			assertThat(cookies[i].getName()).isEqualTo(sent.get(i)[0]);
			assertThat(cookies[i].getValue()).isEqualTo(sent.get(i)[1]);
		}
	}

	private static final String TOKEN = "!#%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

	/** RFC 6265 cookie-octet: visible ASCII but {@code " , ; \}. */
	private static final String COOKIE_OCTETS = "!#$%&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`"
			+ "abcdefghijklmnopqrstuvwxyz{|}~";

	private static String token(FuzzedDataProvider data, int min, int max) {
		return pick(data, TOKEN, min, max).replaceFirst("^\\$", "x");
	}

	private static String cookieOctets(FuzzedDataProvider data, int min, int max) {
		return pick(data, COOKIE_OCTETS, min, max);
	}

	private static String pick(FuzzedDataProvider data, String alphabet, int min, int max) {
		int length = data.consumeInt(min, max);
		StringBuilder result = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			result.append(alphabet.charAt(data.consumeInt(0, alphabet.length() - 1)));
		}
		return result.toString();
	}

}
