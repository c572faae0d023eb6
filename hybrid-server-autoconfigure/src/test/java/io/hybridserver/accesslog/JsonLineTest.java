package io.hybridserver.accesslog;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.hybridserver.http.CompletedExchange;
import io.hybridserver.http.UnreadRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code json} pattern: the fields of one exchange, the header, response header and cookie fields named after it,
 * and escaping that keeps every line one valid JSON object whatever the client sent (read back with Jackson).
 */
class JsonLineTest {

	private final EndedExchange exchange = new EndedExchange();

	private final JsonMapper json = JsonMapper.builder().build();

	private String format(String pattern, ZoneId zone, boolean forwarded) {
		return format(this.exchange, pattern, zone, forwarded);
	}

	private static String format(CompletedExchange exchange, String pattern, ZoneId zone, boolean forwarded) {
		AccessLogPattern compiled = AccessLogPattern.compile(pattern, zone);
		AccessLogEntry entry = new AccessLogEntry(exchange, compiled.requestHeaderNames(),
				compiled.responseHeaderNames(), forwarded);
		StringBuilder line = new StringBuilder();
		compiled.format(entry, line);
		return line.toString();
	}

	private String format(String pattern) {
		return format(pattern, ZoneOffset.UTC, false);
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> parse(String line) {
		return this.json.readValue(line, Map.class);
	}

	@Test
	void theUsualFieldsInAFixedOrder() {
		this.exchange.requestHeader("User-Agent", "curl/8.5.0").requestHeader("Referer", "https://example.com/");
		assertThat(format("json")).isEqualTo("{\"time\":\"2026-12-06T13:37:39.042Z\",\"remoteAddress\":\"192.0.2.7\","
				+ "\"method\":\"GET\",\"uri\":\"/hello\",\"query\":\"name=x\",\"protocol\":\"HTTP/1.1\",\"status\":200,"
				+ "\"bytes\":1234,\"durationMicros\":2345678,\"userAgent\":\"curl/8.5.0\","
				+ "\"referer\":\"https://example.com/\",\"user\":null,\"session\":null,\"aborted\":false}");
	}

	@Test
	void theShorthandIgnoresCaseAndSpaces() {
		assertThat(format("  JSON ")).isEqualTo(format("json"));
	}

	@Test
	void timeIsIsoInTheClocksZone() {
		assertThat(parse(format("json", ZoneId.of("Europe/Paris"), false)))
			.containsEntry("time", "2026-12-06T14:37:39.042+01:00");
	}

	@Test
	void absentValuesAreNullAndARequestWithoutItsLineHasNoMethodUriOrProtocol() {
		// What the server hears of a head that never arrived whole: the connection and its 408, nothing of a request.
		UnreadRequest unread = new UnreadRequest(this.exchange.remote, this.exchange.local, "http", 408, 40);
		Map<String, Object> fields = parse(format(unread, "json", ZoneOffset.UTC, false));
		assertThat(fields).containsEntry("method", null).containsEntry("uri", null).containsEntry("query", null)
			.containsEntry("protocol", null).containsEntry("userAgent", null).containsEntry("status", 408)
			.containsEntry("remoteAddress", "192.0.2.7").containsEntry("bytes", 40);
	}

	@Test
	void headersResponseHeadersAndCookiesNamedAfterJsonAddFields() {
		this.exchange.requestHeader("X-Request-Id", "r-1").requestHeader("Cookie", "JSESSIONID=abc; theme=dark")
			.responseHeader("Content-Type", "text/plain");
		String line = format("json %{X-Request-Id}i %{X-Absent}i  %{Content-Type}o %{theme}c");
		assertThat(line).endsWith(",\"aborted\":false,\"requestHeaders\":{\"X-Request-Id\":\"r-1\",\"X-Absent\":null},"
				+ "\"responseHeaders\":{\"Content-Type\":\"text/plain\"},\"cookies\":{\"theme\":\"dark\"}}");
		assertThat(parse(line)).containsKeys("requestHeaders", "responseHeaders", "cookies");
	}

	@Test
	void theForwardedClientWhenTheLogHonoursIt() {
		this.exchange.forwardedRemoteAddress = "203.0.113.7";
		assertThat(parse(format("json", ZoneOffset.UTC, true))).containsEntry("remoteAddress", "203.0.113.7");
		assertThat(parse(format("json", ZoneOffset.UTC, false))).containsEntry("remoteAddress", "192.0.2.7");
	}

	@Test
	void everyStringIsEscapedSoTheLineStaysOneAsciiJsonObject() {
		String hostile = "a\"b\\c/d\ne\rf\tg\bh\fi\u0000j\u0001k\u001bl\u007fm\u0080n\u00e9o\u2028p\uD83D\uDE00q"
				+ "\",\"status\":999}";
		this.exchange.requestHeader("User-Agent", hostile).requestHeader("X-Odd", hostile);
		this.exchange.target = "/caf\u00e9?q=" + hostile;
		this.exchange.method = "G\"ET";
		String line = format("json %{X-Odd}i");
		for (int i = 0; i < line.length(); i++) {
			assertThat(line.charAt(i)).as("character %d of %s", i, line).isBetween(' ', '~');
		}
		assertThat(line).contains("a\\\"b\\\\c/d\\ne\\rf\\tg\\bh\\fi\\u0000j\\u0001k\\u001bl\\u007fm\\u0080n\\u00e9o"
				+ "\\u2028p\\ud83d\\ude00q");
		Map<String, Object> fields = parse(line);
		assertThat(fields).containsEntry("userAgent", hostile).containsEntry("uri", "/caf\u00e9")
			.containsEntry("query", "q=" + hostile).containsEntry("method", "G\"ET").containsEntry("status", 200);
		assertThat(fields.get("requestHeaders")).isEqualTo(Map.of("X-Odd", hostile));
	}

	@Test
	void onlyHeaderResponseHeaderAndCookieCodesMayFollowJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("json %h", ZoneOffset.UTC))
			.withMessage("'%h' at position 5 cannot follow json; only %{Name}i (request header), %{Name}o (response "
					+ "header) and %{name}c (cookie) add fields to it");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AccessLogPattern.compile("json %{X}ix", ZoneOffset.UTC))
			.withMessageStartingWith("'%{X}ix' at position 5 cannot follow json");
		assertThatIllegalArgumentException().isThrownBy(() -> AccessLogPattern.compile("json %{}i", ZoneOffset.UTC))
			.withMessageStartingWith("'%{}i' at position 5");
		// Not the shorthand: a literal line that starts with the word.
		assertThat(format("jsonx")).isEqualTo("jsonx");
	}

	@Test
	void theSettingsReportABadJsonPatternNamingTheProperty() {
		AccessLogSettings settings = new AccessLogSettings();
		settings.setEnabled(true);
		settings.setPattern("json %t");
		assertThat(settings.problem()).startsWith("server.hybrid.accesslog.pattern is invalid: '%t' at position 5");
	}

}
