package io.hybridserver.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.hybridserver.tls.TlsFailureReason;
import io.hybridserver.tls.TlsHandshakeListener;

/**
 * Records {@code hybrid.server.tls.handshakes} (tags {@code result} success|failure, {@code protocol},
 * {@code ciphersuite}, {@code reason} and {@code resumed} true|false; values that do not apply are {@code none}) and
 * {@code hybrid.server.tls.handshake.duration} (tag {@code result}).
 *
 * <p>Tag values come from bounded sets: the protocol versions and suites the server enables, and
 * {@link TlsFailureReason}. Meters are looked up once per tag combination and then kept, because this runs on event
 * loops for every new TLS connection.
 */
public final class TlsHandshakeMeters implements TlsHandshakeListener {

	private static final String NONE = "none";

	private final Supplier<MeterRegistry> registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	public TlsHandshakeMeters(Supplier<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void handshakeSucceeded(String protocol, String cipherSuite, boolean resumed, long durationNanos) {
		record("success", protocol, cipherSuite, NONE, Boolean.toString(resumed), durationNanos);
	}

	@Override
	public void handshakeFailed(TlsFailureReason reason, long durationNanos) {
		record("failure", NONE, NONE, reason.tagValue(), NONE, durationNanos);
	}

	private void record(String result, String protocol, String cipherSuite, String reason, String resumed,
			long durationNanos) {
		MeterRegistry meterRegistry = this.registry.get();
		if (meterRegistry == null) {
			return;
		}
		String key = result + '|' + protocol + '|' + cipherSuite + '|' + reason + '|' + resumed;
		this.counters.computeIfAbsent(key, (k) -> Counter.builder(HybridServerMeters.PREFIX + "tls.handshakes")
			.tags("result", result, "protocol", protocol, "ciphersuite", cipherSuite, "reason", reason, "resumed",
					resumed)
			.description("TLS handshakes, by how they ended")
			.register(meterRegistry)).increment();
		this.timers.computeIfAbsent(result, (k) -> Timer.builder(HybridServerMeters.PREFIX + "tls.handshake.duration")
			.tags("result", result)
			.description("Time from accepting a TLS connection to the end of its handshake")
			.register(meterRegistry)).record(durationNanos, TimeUnit.NANOSECONDS);
	}

}
