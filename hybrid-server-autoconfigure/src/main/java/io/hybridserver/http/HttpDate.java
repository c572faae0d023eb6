package io.hybridserver.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The IMF-fixdate for the {@code Date} header, formatted at most once per second: formatting a date per response is a
 * measurable cost at high request rates, and the header's resolution is one second anyway.
 */
final class HttpDate {

	private static final DateTimeFormatter FORMAT = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

	private static volatile Cached cached = new Cached(0, "");

	private HttpDate() {
	}

	static String now() {
		long second = System.currentTimeMillis() / 1000;
		Cached current = cached;
		if (current.second != second) {
			current = new Cached(second, FORMAT.format(Instant.ofEpochSecond(second)));
			cached = current;
		}
		return current.text;
	}

	private static final class Cached {

		final long second;

		final String text;

		Cached(long second, String text) {
			this.second = second;
			this.text = text;
		}

	}

}
