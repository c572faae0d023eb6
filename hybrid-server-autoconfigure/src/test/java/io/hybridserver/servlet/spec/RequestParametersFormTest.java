package io.hybridserver.servlet.spec;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.hybridserver.servlet.core.ClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Form bodies are parsed as bytes ({@link RequestParameters#parseForm}) where that gives what the text path gives: the
 * body decoded in its charset, then split and decoded as a query ({@link RequestParameters#parseQuery}), which is how
 * they were parsed before issue 22's form post work. Compared on many generated bodies, strict and lenient, in the
 * charsets the byte path takes and in one it leaves to the text path.
 */
class RequestParametersFormTest {

	private static final Charset[] CHARSETS = { StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
			StandardCharsets.US_ASCII, Charset.forName("windows-1252"), StandardCharsets.UTF_16BE };

	/** Mostly the bytes that matter to the syntax, some letters, and now and then one above ASCII. */
	private static final byte[] ALPHABET = "%%%++&&&===aZ09cCfF8e".getBytes(StandardCharsets.US_ASCII);

	@Test
	void bytesParseAsTheirDecodedTextDoes() {
		Random random = new Random(22);
		int compared = 0;
		for (int i = 0; i < 40_000; i++) {
			byte[] form = new byte[random.nextInt(24)];
			boolean ascii = random.nextInt(4) != 0;
			for (int j = 0; j < form.length; j++) {
				form[j] = (!ascii && random.nextInt(6) == 0) ? (byte) (0x80 + random.nextInt(0x80))
						: ALPHABET[random.nextInt(ALPHABET.length)];
			}
			Charset charset = CHARSETS[random.nextInt(CHARSETS.length)];
			boolean strict = random.nextBoolean();
			int maxCount = random.nextBoolean() ? -1 : 3;
			assertSameAsText(form, charset, strict, maxCount);
			compared++;
		}
		assertThat(compared).isEqualTo(40_000);
	}

	@Test
	void whatBrowsersSend() {
		assertSameAsText(("firstName=Ren%C3%A9e&lastName=O%27Hara&address=12+Lake+St.&city=Madison"
				+ "&telephone=6085551023&tag=a&tag=b%2Bc&empty=&flag").getBytes(StandardCharsets.US_ASCII),
				StandardCharsets.UTF_8, true, -1);
		Map<String, List<String>> parsed = parse("city=Z%FCrich&note=50%25+off", StandardCharsets.ISO_8859_1, true);
		assertThat(parsed).containsEntry("city", List.of("Z\u00fcrich")).containsEntry("note", List.of("50% off"));
		parsed = parse("name=Ren%C3%A9e&x=a%2Bb+c&x=", StandardCharsets.UTF_8, true);
		assertThat(parsed).containsEntry("name", List.of("Ren\u00e9e")).containsEntry("x", List.of("a+b c", ""));
	}

	@Test
	void badInputIsA400() {
		assertThatThrownBy(() -> parse("a=%C3%28", StandardCharsets.UTF_8, true))
			.isInstanceOfSatisfying(ClientErrorException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
		assertThatThrownBy(() -> parse("a=%4", StandardCharsets.UTF_8, false))
			.isInstanceOfSatisfying(ClientErrorException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
		assertThatThrownBy(() -> parse("a=%G1", StandardCharsets.UTF_8, false))
			.isInstanceOfSatisfying(ClientErrorException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
		assertThatThrownBy(() -> parse("=x", StandardCharsets.UTF_8, true))
			.isInstanceOfSatisfying(ClientErrorException.class, (ex) -> assertThat(ex.status()).isEqualTo(400));
		// Lenient: what the charset cannot decode becomes U+FFFD.
		assertThat(parse("a=%C3%28", StandardCharsets.UTF_8, false)).containsEntry("a", List.of("\ufffd("));
	}

	@Test
	void theBodyIsReadWhole() throws Exception {
		byte[] body = "a=1&b=2".getBytes(StandardCharsets.US_ASCII);
		assertThat(RequestParameters.readForm(new ByteArrayInputStream(body), body.length, 100)).isEqualTo(body);
		// Undeclared (chunked), and longer than the first array: it grows.
		byte[] big = "x=".concat("y".repeat(1_000)).getBytes(StandardCharsets.US_ASCII);
		assertThat(RequestParameters.readForm(trickle(big), -1, -1)).isEqualTo(big);
		// Declared shorter than it is (cannot happen with HTTP framing, but the end is what counts).
		assertThat(RequestParameters.readForm(trickle(big), 10, -1)).isEqualTo(big);
		assertThat(RequestParameters.readForm(new ByteArrayInputStream(new byte[0]), 0, 100)).isEmpty();
		assertThatThrownBy(() -> RequestParameters.readForm(trickle(big), -1, 999))
			.isInstanceOfSatisfying(ClientErrorException.class, (ex) -> assertThat(ex.status()).isEqualTo(413));
		assertThatThrownBy(() -> RequestParameters.readForm(trickle(big), 1_002, 1_000))
			.isInstanceOfSatisfying(ClientErrorException.class, (ex) -> assertThat(ex.status()).isEqualTo(413));
	}

	/** A stream that returns at most 7 bytes per read, as a body arriving in pieces does. */
	private static InputStream trickle(byte[] bytes) {
		return new ByteArrayInputStream(bytes) {

			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, 7));
			}

		};
	}

	private static Map<String, List<String>> parse(String form, Charset charset, boolean strict) {
		Map<String, List<String>> parsed = new LinkedHashMap<>();
		RequestParameters.parseForm(form.getBytes(StandardCharsets.ISO_8859_1), charset, parsed, -1, strict);
		return parsed;
	}

	private static void assertSameAsText(byte[] form, Charset charset, boolean strict, int maxCount) {
		Map<String, List<String>> expected = new LinkedHashMap<>();
		Integer expectedStatus = null;
		try {
			RequestParameters.parseQuery(text(form, charset, strict), charset, expected, maxCount, strict);
		}
		catch (ClientErrorException ex) {
			expectedStatus = ex.status();
		}
		Map<String, List<String>> actual = new LinkedHashMap<>();
		Integer actualStatus = null;
		try {
			RequestParameters.parseForm(form, charset, actual, maxCount, strict);
		}
		catch (ClientErrorException ex) {
			actualStatus = ex.status();
		}
		String what = new String(form, StandardCharsets.ISO_8859_1) + " in " + charset + (strict ? ", strict" : "");
		assertThat(actualStatus).as(what).isEqualTo(expectedStatus);
		if (expectedStatus == null) {
			assertThat(actual).as(what).isEqualTo(expected);
		}
	}

	/** The whole body as text, as the text path decodes it: a 400 when strict and not valid. */
	private static String text(byte[] form, Charset charset, boolean strict) {
		if (!strict) {
			return new String(form, charset);
		}
		try {
			return charset.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(form))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ClientErrorException(400, "not valid");
		}
	}

}
