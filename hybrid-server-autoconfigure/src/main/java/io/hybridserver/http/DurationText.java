package io.hybridserver.http;

import java.time.Duration;

/**
 * A duration as a Spring Boot user writes it ({@code 0s}, {@code 30s}, {@code 500ms}, {@code 5m}), for messages that
 * name a configured value: {@link Duration#toString()} says {@code PT0S}, which no {@code application.yml} contains.
 */
public final class DurationText {

	private DurationText() {
	}

	/** The duration in the largest unit that shows it exactly; {@code null} as {@code "none"}. */
	public static String of(Duration duration) {
		if (duration == null) {
			return "none";
		}
		if (duration.isNegative()) {
			return "-" + of(duration.negated());
		}
		if (duration.getNano() == 0) {
			long seconds = duration.getSeconds();
			if (seconds != 0 && seconds % 86_400 == 0) {
				return (seconds / 86_400) + "d";
			}
			if (seconds != 0 && seconds % 3600 == 0) {
				return (seconds / 3600) + "h";
			}
			if (seconds != 0 && seconds % 60 == 0) {
				return (seconds / 60) + "m";
			}
			return seconds + "s";
		}
		if (duration.getNano() % 1_000_000 == 0) {
			return duration.toMillis() + "ms";
		}
		if (duration.getNano() % 1_000 == 0) {
			return (duration.toNanos() / 1_000) + "us";
		}
		return duration.toNanos() + "ns";
	}

}
