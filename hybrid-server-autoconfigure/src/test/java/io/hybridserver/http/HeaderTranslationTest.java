package io.hybridserver.http;

import java.util.List;
import java.util.function.Supplier;

import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.util.AsciiString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
	void requestFieldsAreOneReadOnlyArrayInTheSectionsOrder(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		Headers<CharSequence, CharSequence, ?> head = request(kind, ":method", "GET", ":scheme", "https",
				":authority", "example.com", ":path", "/", "cookie", "a=1", "accept", "*/*", "cookie", "b=2",
				"user-agent", "test/1", "cookie", "c=3");
		ArrayHttpHeaders fields = HeaderTranslation.requestFields(head);
		assertThat(fields.size()).isEqualTo(4);
		assertThat(fields.entries()).extracting(Object::toString)
			.containsExactly("accept=*/*", "user-agent=test/1", "cookie=a=1; b=2; c=3", "host=example.com");
		assertThatThrownBy(() -> fields.add("x-late", "1")).isInstanceOf(UnsupportedOperationException.class);
	}

	@ParameterizedTest
	@MethodSource("sections")
	void oneCookieFieldIsPassedOnAsItCame(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		AsciiString cookie = AsciiString.of("session=4f2a; theme=dark");
		Headers<CharSequence, CharSequence, ?> head = request(kind, ":method", "GET", ":path", "/");
		head.add("cookie", cookie);
		ArrayHttpHeaders fields = HeaderTranslation.requestFields(head);
		assertThat(fields.valueAt(0)).isSameAs(cookie);
		assertThat(fields.get(HttpHeaderNames.COOKIE)).isEqualTo("session=4f2a; theme=dark");
		assertThat(fields.contains("Host")).isFalse();
	}

	/**
	 * RFC 9113 8.2.2 and RFC 9114 4.2: HTTP/2's codec refuses these before the translation sees them, HTTP/3's only
	 * {@code connection} and {@code te}; the translation refuses them all for both.
	 */
	@ParameterizedTest
	@MethodSource("sections")
	void connectionSpecificFieldsAndTeOtherThanTrailersAreMalformed(
			Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		for (String name : List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> HeaderTranslation.requestFields(request(kind, ":method", "GET", name, "x")))
				.withMessageContaining(name);
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HeaderTranslation.requestFields(request(kind, ":method", "GET", "te", "gzip")));
		assertThat(HeaderTranslation.requestFields(request(kind, ":method", "GET", "te", "trailers")).get("TE"))
			.isEqualTo("trailers");
	}

	/** Names the codecs would refuse (they validate by default) are refused again, as HTTP/1.1 refuses them. */
	@ParameterizedTest
	@MethodSource("unvalidatedSections")
	void aNameHttpWouldRefuseMakesTheRequestMalformed(Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HeaderTranslation.requestFields(request(kind, ":method", "GET", "bad name", "1")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HeaderTranslation.requestTrailers(request(kind, "bad(name)", "1")));
	}

	static List<Supplier<Headers<CharSequence, CharSequence, ?>>> unvalidatedSections() {
		return List.of(() -> new DefaultHttp2Headers(false), () -> new DefaultHttp3Headers(false));
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

	/**
	 * A response's own fields ({@link ArrayHttpHeaders}, read by index) as Netty's HTTP/1-to-2 conversion made them:
	 * the fields {@code Connection} names go too, {@code TE} says {@code trailers} or nothing, and the common names
	 * become Netty's shared lower-case constants.
	 */
	@ParameterizedTest
	@MethodSource("sections")
	void aResponsesOwnFieldsLoseWhatConnectionNamesAndGetSharedNames(
			Supplier<Headers<CharSequence, CharSequence, ?>> kind) {
		HttpHeaders fields = ArrayHttpHeaders.responseFields();
		fields.add("Content-Type", "application/json").add("Connection", "close, X-Hop").add("X-Hop", "1")
			.add("TE", "deflate, trailers").add("Cache-Control", "no-store").add("X-Custom-Thing", "2")
			.add("date", "Mon, 07 Dec 2026 06:00:00 GMT");
		Headers<CharSequence, CharSequence, ?> head = HeaderTranslation.responseHead(299, fields, kind.get());
		assertThat(head.get(":status")).hasToString("299");
		assertThat(head.names()).extracting(CharSequence::toString)
			.containsExactlyInAnyOrder(":status", "content-type", "te", "cache-control", "x-custom-thing", "date");
		assertThat(head.get("te")).hasToString("trailers");
		assertThat(head.names()).filteredOn((name) -> AsciiString.contentEquals(name, "content-type"))
			.singleElement()
			.isSameAs(HttpHeaderNames.CONTENT_TYPE);
		assertThat(HeaderTranslation.responseHead(200, ArrayHttpHeaders.responseFields().add("TE", "gzip"), kind.get())
			.names()).extracting(CharSequence::toString).containsExactly(":status");
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
