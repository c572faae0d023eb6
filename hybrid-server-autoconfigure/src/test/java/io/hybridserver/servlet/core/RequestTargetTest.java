package io.hybridserver.servlet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequestTargetTest {

	@Test
	void aNormalPathIsReturnedAsItIs() {
		String path = "/api/v1/orders/42";
		assertThat(RequestTarget.normalize(path)).isSameAs(path);
		assertThat(RequestTarget.normalize("/")).isEqualTo("/");
		assertThat(RequestTarget.normalize("/a/b/")).isEqualTo("/a/b/");
		assertThat(RequestTarget.normalize("/a.b/c.d")).isEqualTo("/a.b/c.d");
	}

	@Test
	void emptyDotAndDotDotSegmentsAreResolved() {
		assertThat(RequestTarget.normalize("//admin")).isEqualTo("/admin");
		assertThat(RequestTarget.normalize("/a//b///")).isEqualTo("/a/b/");
		assertThat(RequestTarget.normalize("/a/./b")).isEqualTo("/a/b");
		assertThat(RequestTarget.normalize("/a/b/..")).isEqualTo("/a/");
		assertThat(RequestTarget.normalize("/a/b/.")).isEqualTo("/a/b/");
	}

	@Test
	void climbingAboveTheRootIsABadRequest() {
		assertThatThrownBy(() -> RequestTarget.normalize("/..")).isInstanceOf(ClientErrorException.class);
		assertThatThrownBy(() -> RequestTarget.normalize("/a/../../b")).isInstanceOf(ClientErrorException.class);
		assertThatThrownBy(() -> RequestTarget.parse("/a/%2e%2e/%2e%2e/etc")).isInstanceOf(ClientErrorException.class);
	}

	@Test
	void parseKeepsTheRawUriAndNormalisesThePath() {
		RequestTarget target = RequestTarget.parse("/json?x=1");
		assertThat(target.requestUri()).isEqualTo("/json");
		assertThat(target.queryString()).isEqualTo("x=1");
		assertThat(target.path()).isEqualTo("/json");
		assertThat(RequestTarget.parse("/a/%2e/b").path()).isEqualTo("/a/b");
	}

	@Test
	void aCharacterOutsideTheBmpSurvivesDecodingBesideAnEscape() {
		// Found by RequestTargetFuzzTest: each half of the surrogate pair was encoded alone, as '?'.
		assertThat(RequestTarget.parse("/%41/\uD83D\uDE00").path()).isEqualTo("/A/\uD83D\uDE00");
	}

	@Test
	void escapesTakeAsciiHexDigitsOnly() {
		// Character.digit also reads Arabic-Indic and fullwidth digits: '%\u0664\u0661' was decoded to 'A'.
		assertThatThrownBy(() -> RequestTarget.parse("/a/%\u0664\u0661")).isInstanceOf(ClientErrorException.class);
		assertThatThrownBy(() -> RequestTarget.parse("/x/%\uFF12\uFF45%\uFF12\uFF45/y"))
			.isInstanceOf(ClientErrorException.class);
	}

}
