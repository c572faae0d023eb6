package io.hybridserver.accesslog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** A clock a test moves by hand, for rotation. */
final class MutableClock extends Clock {

	private volatile Instant now;

	private final ZoneId zone;

	MutableClock(Instant now, ZoneId zone) {
		this.now = now;
		this.zone = zone;
	}

	void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return new MutableClock(this.now, zone);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

}
