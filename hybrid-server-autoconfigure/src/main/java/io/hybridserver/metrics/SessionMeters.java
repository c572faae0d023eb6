package io.hybridserver.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The servlet application's HTTP sessions, meter for meter what Micrometer's {@code TomcatMetrics} publishes as
 * {@code tomcat.sessions.*}, so that a Tomcat dashboard's session panels need only the new prefix:
 * {@code hybrid.server.sessions.active.current} and {@code .active.max} (gauges), {@code .alive.max} (seconds, the
 * longest life of an ended session), and the counters {@code .started} (Tomcat's {@code .created}), {@code .expired} (ended by timeout or
 * invalidation, as Tomcat counts) and {@code .rejected}. No base unit "sessions" on the counters, so that Prometheus
 * names are not doubled. Tomcat's {@code created} is {@code started} here: Prometheus's client drops a trailing
 * {@code _created} (a suffix it reserves for creation timestamps), which made the counter {@code hybrid_server_sessions_total}.
 */
public final class SessionMeters implements MeterBinder {

	/** What the meters read. */
	public interface Source {

		/** Sessions alive now. */
		int active();

		/** The most sessions alive at once since the start. */
		int mostActive();

		/** The longest life of an ended session, in milliseconds. */
		long longestLifeMillis();

		/** Sessions created since the start. */
		long created();

		/** Sessions ended since the start, timed out or invalidated. */
		long expired();

		/** Sessions refused since the start because of a limit on their number. */
		long rejected();

	}

	private final Source source;

	public SessionMeters(Source source) {
		this.source = source;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		String prefix = HybridServerMeters.PREFIX + "sessions.";
		gauge(registry, prefix + "active.current", "Sessions alive now", Source::active);
		gauge(registry, prefix + "active.max", "The most sessions alive at once", Source::mostActive);
		TimeGauge.builder(prefix + "alive.max", this.source, TimeUnit.MILLISECONDS, Source::longestLifeMillis)
			.description("The longest time an ended session had been alive")
			.strongReference(true)
			.register(registry);
		counter(registry, prefix + "started", "Sessions created", Source::created);
		counter(registry, prefix + "expired", "Sessions ended, by timeout or invalidation", Source::expired);
		counter(registry, prefix + "rejected", "Sessions refused because of a limit on their number",
				Source::rejected);
	}

	private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<Source> value) {
		Gauge.builder(name, this.source, value).description(description).strongReference(true).register(registry);
	}

	/** Holds the source weakly, as function counters do: the caller keeps this binder, which holds the source. */
	private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<Source> value) {
		FunctionCounter.builder(name, this.source, value).description(description).register(registry);
	}

}
