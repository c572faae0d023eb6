package io.hybridserver.http;

import java.util.List;
import java.util.function.Supplier;

import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * One translation for both multiplexed protocols: each case runs on Netty's HTTP/2 and HTTP/3 header maps alike, which
 * is what lets {@code http.h2} and {@code http.h3} share it.
 */
class HeaderTranslationTest {

	/** A fresh, empty field section of each protocol. */
	static List<Supplier<Headers<CharSequence, CharSequence, ?>>> sections() {
		return List.of(DefaultHttp2Headers::new, DefaultHttp3Headers::new);
	}

	private static Headers<CharSequence, CharSequence, ?> request(Supplier<Headers<CharSequence, CharSequence, ?>> kind,
			String... namesAndValues) {
		Headers<CharSequence, CharSequence, ?> headers = kind.get();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	@ParameterizedTest
	@MethodSource("sections")
	void pseudoHeaderFieldsAreRequiredAsBothRfcsSay(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		assertThat(HeaderTranslation.hasRequiredPseudoHeaders(
				request(kind, ":method", "GET", ":scheme", "https", ":path", "/a"))).isTrue();
		assertThat(HeaderTranslation.hasRequiredPseudoHeaders(request(kind, ":scheme", "https", ":path", "/a")))
			.isFalse();
		assertThat(HeaderTranslation.hasRequiredPseudoHeaders(request(kind, ":method", "GET", ":path", "/a")))
			.isFalse();
		// CONNECT names an authority instead of a scheme and path.
		assertThat(HeaderTranslation.hasRequiredPseudoHeaders(request(kind, ":method", "CONNECT", ":authority", "h:1")))
			.isTrue();
		assertThat(HeaderTranslation.hasRequiredPseudoHeaders(request(kind, ":method", "CONNECT"))).isFalse();
	}

	@ParameterizedTest
	@MethodSource("sections")
	void requestFieldsLoseThePseudoHeadersGainHostAndJoinCookies(
			Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		Headers<CharSequence, CharSequence, ?> head = request(kind, ":method", "POST", ":scheme", "https",
				":authority", "example.com:8443", ":path", "/upload?x=1", "cookie", "a=1", "accept", "*/*", "cookie",
				"b=2");
		HttpHeaders fields = HeaderTranslation.requestFields(head);
		assertThat(fields.names()).containsExactlyInAnyOrder("accept", "cookie", "host");
		assertThat(fields.getAll("cookie")).containsExactly("a=1; b=2");
		assertThat(fields.get("host")).isEqualTo("example.com:8443");
		assertThat(HeaderTranslation.method(head)).isEqualTo("POST");
		assertThat(HeaderTranslation.target(head)).isEqualTo("/upload?x=1");
		// A Host field the client sent wins over :authority.
		assertThat(HeaderTranslation.requestFields(request(kind, ":authority", "a.example", "host", "b.example"))
			.get("host")).isEqualTo("b.example");
	}

	@ParameterizedTest
	@MethodSource("sections")
	void withoutPathTheTargetIsTheAuthorityAndWithoutMethodGet(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		Headers<CharSequence, CharSequence, ?> connect = request(kind, ":method", "CONNECT", ":authority", "h:443");
		assertThat(HeaderTranslation.target(connect)).isEqualTo("h:443");
		assertThat(HeaderTranslation.method(kind.get())).isEqualTo("GET");
		assertThat(HeaderTranslation.target(kind.get())).isEqualTo("/");
	}

	@ParameterizedTest
	@MethodSource("sections")
	void aValueHttpWouldRefuseMakesTheRequestMalformed(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HeaderTranslation.requestFields(request(kind, "x-bad", "one\r\ntwo")));
	}

	@ParameterizedTest
	@MethodSource("sections")
	void trailersMayNotCarryPseudoHeaders(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		assertThat(HeaderTranslation.requestTrailers(request(kind, "x-checksum", "42")).get("x-checksum"))
			.isEqualTo("42");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HeaderTranslation.requestTrailers(request(kind, ":path", "/")))
			.withMessageContaining(":path");
	}

	@ParameterizedTest
	@MethodSource("sections")
	void theResponseHeadHasStatusLowerCaseNamesAndNoConnectionFields(
			Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		HttpHeaders fields = DefaultHttpHeadersFactory.headersFactory().newHeaders();
		fields.add("Content-Type", "text/plain").add("Connection", "close").add("Keep-Alive", "timeout=5")
			.add("Transfer-Encoding", "chunked").add("Upgrade", "h2c").add("Proxy-Connection", "close")
			.add("X-Trace", "t1");
		Headers<CharSequence, CharSequence, ?> head = HeaderTranslation.responseHead(204, fields, kind.get());
		assertThat(head.get(":status")).hasToString("204");
		assertThat(head.names()).extracting(CharSequence::toString)
			.containsExactlyInAnyOrder(":status", "content-type", "x-trace");
	}

	@ParameterizedTest
	@MethodSource("sections")
	void aContentLengthThatIsNoNumberIsMalformed(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		assertThat(HeaderTranslation.contentLength(HeaderTranslation.requestFields(request(kind, "content-length",
				"12")))).isEqualTo(12);
		assertThat(HeaderTranslation.contentLength(HeaderTranslation.requestFields(kind.get()))).isEqualTo(-1);
		assertThatIllegalArgumentException().isThrownBy(() -> HeaderTranslation
			.contentLength(HeaderTranslation.requestFields(request(kind, "content-length", "12a"))));
	}

}
