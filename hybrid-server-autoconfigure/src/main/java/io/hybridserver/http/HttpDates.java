package io.hybridserver.http;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 section 5.6.7): always written as IMF-fixdate, read in all three historical forms.
 */
public final class HttpDates {

	private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
		.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
		.withZone(ZoneOffset.UTC);

	private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.US);

	private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
			Locale.US);

	private HttpDates() {
	}

	public static String format(long epochMillis) {
		return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
	}

	/** Epoch millis, or {@code -1} when the value is in none of the three forms. */
	public static long parse(String value) {
		if (value == null) {
			return -1;
		}
		String text = value.trim();
		try {
			return ZonedDateTime.parse(text, IMF_FIXDATE).toInstant().toEpochMilli();
		}
		catch (DateTimeParseException ex) {
			// try the obsolete forms next
		}
		try {
			// The weekday is dropped: "yy" first resolves into 20xx, where the weekday would not match the date.
			int comma = text.indexOf(", ");
			LocalDateTime time = LocalDateTime.parse((comma >= 0) ? text.substring(comma + 2) : text, RFC_850);
			// RFC 9110: a two-digit year more than 50 years in the future means the previous century.
			if (time.getYear() > LocalDateTime.now(ZoneOffset.UTC).getYear() + 50) {
				time = time.minusYears(100);
			}
			return time.toInstant(ZoneOffset.UTC).toEpochMilli();
		}
		catch (DateTimeParseException ex) {
			// try asctime
		}
		try {
			return LocalDateTime.parse(text, ASCTIME).toInstant(ZoneOffset.UTC).toEpochMilli();
		}
		catch (DateTimeParseException ex) {
			return -1;
		}
	}

}
