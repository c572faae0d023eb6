package io.hybridserver.http;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Durations in messages are written as in application.yml. */
class DurationTextTest {

	@Test
	void writesTheLargestExactUnit() {
		assertThat(DurationText.of(Duration.ZERO)).isEqualTo("0s");
		assertThat(DurationText.of(Duration.ofSeconds(30))).isEqualTo("30s");
		assertThat(DurationText.of(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(DurationText.of(Duration.ofMinutes(5))).isEqualTo("5m");
		assertThat(DurationText.of(Duration.ofHours(2))).isEqualTo("2h");
		assertThat(DurationText.of(Duration.ofDays(1))).isEqualTo("1d");
		assertThat(DurationText.of(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(DurationText.of(Duration.ofNanos(1500))).isEqualTo("1500ns");
		assertThat(DurationText.of(Duration.ofNanos(3000))).isEqualTo("3us");
		assertThat(DurationText.of(Duration.ofSeconds(-1))).isEqualTo("-1s");
		assertThat(DurationText.of(null)).isEqualTo("none");
	}

	@Test
	void configurationErrorsSayZeroAsZeroSeconds() {
		assertThat(org.assertj.core.api.Assertions
			.catchThrowable(() -> new HttpServerConfig().setMinRequestBodyRateGrace(Duration.ZERO)))
			.hasMessageContaining("was 0s")
			.hasMessageNotContaining("PT0S");
	}

}
