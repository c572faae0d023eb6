package io.hybridserver.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The IMF-fixdate for the {@code Date} header, formatted at most once per second: formatting a date per response is a
 * measurable cost at high request rates, and the header's resolution is one second anyway.
 */
final class HttpDate {

	/**
	 * RFC 9110, 5.6.7: {@code Sun, 06 Nov 1994 08:49:37 GMT}. Not {@code DateTimeFormatter.RFC_1123_DATE_TIME}, which
	 * writes the day of the month without its leading zero ({@code 6 Nov}), a form the IMF-fixdate grammar does not have.
	 */
	private static final DateTimeFormatter FORMAT = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	private static volatile Cached cached = new Cached(0, "");

	private HttpDate() {
	}

	static String now() {
		long second = System.currentTimeMillis() / 1000;
		Cached current = cached;
		if (current.second != second) {
			current = new Cached(second, format(second));
			cached = current;
		}
		return current.text;
	}

	/** The IMF-fixdate of a second since the epoch. */
	static String format(long epochSecond) {
		return FORMAT.format(Instant.ofEpochSecond(epochSecond));
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
