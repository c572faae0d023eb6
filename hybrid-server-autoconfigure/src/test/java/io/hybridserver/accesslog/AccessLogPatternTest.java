package io.hybridserver.accesslog;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Every %-code formats as Tomcat's does, from the values of one completed exchange. */
class AccessLogPatternTest {

	private final EndedExchange exchange = new EndedExchange();

	private String format(String pattern) {
		return format(pattern, ZoneOffset.UTC);
	}

	private String format(String pattern, ZoneId zone) {
		AccessLogPattern compiled = AccessLogPattern.compile(pattern, zone);
		AccessLogEntry entry = new AccessLogEntry(this.exchange, compiled.requestHeaderNames(),
				compiled.responseHeaderNames(), false);
		StringBuilder line = new StringBuilder();
		compiled.format(entry, line);
		return line.toString();
	}

	@Test
	void common() {
		assertThat(format("common"))
			.isEqualTo("192.0.2.7 - - [06/Dec/2026:13:37:39 +0000] \"GET /hello?name=x HTTP/1.1\" 200 1234");
	}

	@Test
	void combined() {
		this.exchange.requestHeader("Referer", "https://example.com/").requestHeader("User-Agent", "curl/8.5.0");
		assertThat(format("combined")).isEqualTo("192.0.2.7 - - [06/Dec/2026:13:37:39 +0000] "
				+ "\"GET /hello?name=x HTTP/1.1\" 200 1234 \"https://example.com/\" \"curl/8.5.0\"");
	}

	@Test
	void combinedWithoutRefererOrAgentPrintsDashes() {
		assertThat(format("combined")).endsWith(" 1234 \"-\" \"-\"");
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', value = { "%a|192.0.2.7", "%{remote}a|192.0.2.7", "%{local}a|127.0.0.1",
			"%A|127.0.0.1", "%h|192.0.2.7", "%l|-", "%m|GET", "%U|/hello", "%q|?name=x", "%H|HTTP/1.1",
			"%r|GET /hello?name=x HTTP/1.1", "%s|200", "%b|1234", "%B|1234", "%D|2345678", "%T|2", "%{ms}T|2345",
			"%{us}T|2345678", "%{fracsec}T|2.345", "%F|17", "%I|hybrid-worker-3", "%X|+", "%p|8080",
			"%{local}p|8080", "%{remote}p|50123", "%u|-", "%S|-", "%t|[06/Dec/2026:13:37:39 +0000]",
			"%{sec}t|1796564259", "%{msec}t|1796564259042", "%{msec_frac}t|042",
			"%{yyyy-MM-dd'T'HH:mm:ss}t|2026-12-06T13:37:39", "%{end:msec}t|1796564261387", "%v|127.0.0.1",
			"100%%|100%", "literal text|literal text" })
	void eachCode(String pattern, String expected) {
		assertThat(format(pattern)).isEqualTo(expected);
	}

	@Test
	void dateInTheClocksZone() {
		assertThat(format("%t", ZoneId.of("Europe/Paris"))).isEqualTo("[06/Dec/2026:14:37:39 +0100]");
	}

	@Test
	void userAndSessionFromTheApplicationTier() {
		this.exchange.remoteUser = "alice";
		this.exchange.sessionId = "5F3A";
		assertThat(format("%u %S")).isEqualTo("alice 5F3A");
	}

	@Test
	void emptyBodyIsADashForLowerBAndZeroForUpperB() {
		this.exchange.bodyBytes = 0;
		assertThat(format("%b %B")).isEqualTo("- 0");
	}

	@Test
	void noQueryPrintsNothing() {
		this.exchange.target = "/plain";
		assertThat(format("[%q] %U")).isEqualTo("[] /plain");
	}

	@Test
	void neverCommittedPrintsADashForF() {
		this.exchange.commitNanos = -1;
		assertThat(format("%F")).isEqualTo("-");
	}

	@Test
	void connectionStatus() {
		this.exchange.keepAlive = false;
		assertThat(format("%X")).isEqualTo("-");
		this.exchange.aborted = true;
		assertThat(format("%X")).isEqualTo("X");
	}

	@Test
	void requestHeadersJoinRepeatedValuesWithCommas() {
		this.exchange.requestHeader("Accept", "text/html").requestHeader("Accept", "application/json");
		assertThat(format("%{Accept}i|%{x-missing}i")).isEqualTo("text/html,application/json|-");
	}

	@Test
	void responseHeaders() {
		this.exchange.responseHeader("Content-Type", "application/json");
		assertThat(format("%{content-type}o %{X-None}o")).isEqualTo("application/json -");
	}

	@Test
	void cookiesByNameQuotesEscaped() {
		this.exchange.requestHeader("Cookie", "a=1; JSESSIONID=ABC").requestHeader("Cookie", "theme=\"dark\"");
		assertThat(format("%{JSESSIONID}c %{theme}c %{a}c %{none}c")).isEqualTo("ABC \\\"dark\\\" 1 -");
	}

	@Test
	void serverNameIsTheHostWithoutItsPort() {
		this.exchange.requestHeader("Host", "example.com:8443");
		assertThat(format("%v")).isEqualTo("example.com");
		this.exchange.requestHeaders.clear();
		this.exchange.requestHeader("Host", "[::1]:8443");
		assertThat(format("%v")).isEqualTo("[::1]");
	}

	@Test
	void clientValuesCannotBreakTheLine() {
		this.exchange.requestHeader("User-Agent", "evil\"\r\n192.0.2.1 - - forged\t\u0001\\");
		assertThat(format("\"%{User-Agent}i\"")).isEqualTo("\"evil\\\"\\r\\n192.0.2.1 - - forged\\t\\u0001\\\\\"");
	}

	@Test
	void http2RequestLine() {
		this.exchange.protocol = "HTTP/2.0";
		this.exchange.method = "POST";
		assertThat(format("%r")).isEqualTo("POST /hello?name=x HTTP/2.0");
	}

	@Test
	void badPatternsFailWithTheCodeAndItsPosition() {
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("%h %Z"))
			.withMessageContaining("%Z at position 3");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("%h %{Referer"))
			.withMessageContaining("never closed");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("%h %"))
			.withMessageContaining("incomplete code");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("%i"))
			.withMessageContaining("%{Name}i");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("%{attr}r"))
			.withMessageContaining("not supported");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("%{minutes}T"))
			.withMessageContaining("ms, us or fracsec");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile(""))
			.withMessageContaining("empty");
	}

}
