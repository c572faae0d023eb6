package io.hybridserver.servlet.spec;

import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The charset cache answers as Charset.forName does, aliases and failures included. */
class KnownCharsetsTest {

	@Test
	void answersAsCharsetForNameDoes() {
		for (int i = 0; i < 3; i++) {
			assertThat(KnownCharsets.forName("utf-8")).isEqualTo(StandardCharsets.UTF_8);
			assertThat(KnownCharsets.forName("latin1")).isEqualTo(StandardCharsets.ISO_8859_1);
			assertThat(KnownCharsets.forName("Shift_JIS").name()).isEqualTo("Shift_JIS");
		}
		assertThatExceptionOfType(UnsupportedCharsetException.class)
			.isThrownBy(() -> KnownCharsets.forName("no-such-charset"));
		assertThatExceptionOfType(IllegalCharsetNameException.class).isThrownBy(() -> KnownCharsets.forName("bad name"));
	}

}
