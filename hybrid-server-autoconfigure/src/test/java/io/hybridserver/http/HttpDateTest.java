package io.hybridserver.http;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code Date} header's text against RFC 9110's IMF-fixdate grammar. */
class HttpDateTest {

	@Test
	void aDayOfTheMonthBelowTenKeepsItsLeadingZero() {
		long epochSecond = ZonedDateTime.parse("2026-12-01T15:43:36Z").toEpochSecond();
		assertThat(HttpDate.format(epochSecond)).isEqualTo("Tue, 01 Dec 2026 15:43:36 GMT");
	}

	@Test
	void theRfcsOwnExampleIsWrittenAsTheRfcWritesIt() {
		long epochSecond = ZonedDateTime.parse("1994-11-06T08:49:37Z").toEpochSecond();
		assertThat(HttpDate.format(epochSecond)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
	}

	@Test
	void nowIsAnImfFixdateThatParsesBackToThisSecond() {
		long before = System.currentTimeMillis() / 1000;
		String now = HttpDate.now();
		assertThat(now).matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} "
				+ "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
		long parsed = ZonedDateTime.parse(now, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
		assertThat(parsed).isBetween(before, System.currentTimeMillis() / 1000);
	}

}
