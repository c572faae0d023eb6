package io.hybridserver.http;

/**
 * The IMF-fixdate for the {@code Date} header, formatted at most once per second: formatting a date per response is a
 * measurable cost at high request rates, and the header's resolution is one second anyway.
 */
public final class HttpDate {

	private static volatile Cached cached = new Cached(0, "");

	private HttpDate() {
	}

	/** The current second as an IMF-fixdate. */
	public static String now() {
		long second = System.currentTimeMillis() / 1000;
		Cached current = cached;
		if (current.second != second) {
			current = new Cached(second, format(second));
			cached = current;
		}
		return current.text;
	}

	/**
	 * The IMF-fixdate of a second since the epoch, through {@link HttpDates}: not {@code RFC_1123_DATE_TIME}, which
	 * writes the day of the month without its leading zero ({@code 6 Nov}), a form RFC 9110 does not have.
	 */
	static String format(long epochSecond) {
		return HttpDates.format(epochSecond * 1000);
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
