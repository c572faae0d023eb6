package io.hybridserver.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.hybridserver.dispatch.DispatchObserver;

/**
 * Records {@code hybrid.server.queue.wait}: how long exchanges wait in the request queue before a worker takes them.
 * The registry is looked up on first use, so that configuring the server does not force the registry into existence
 * early in the application context's life.
 */
public final class QueueWaitTimer implements DispatchObserver {

	private final Supplier<MeterRegistry> registry;

	private volatile Timer timer;

	public QueueWaitTimer(Supplier<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void exchangeDequeued(long waitNanos) {
		Timer current = this.timer;
		if (current == null) {
			MeterRegistry meterRegistry = this.registry.get();
			if (meterRegistry == null) {
				return;
			}
			current = Timer.builder(HybridServerMeters.PREFIX + "queue.wait")
				.tags("queue", "request")
				.description("Time from entering the request queue to a worker taking the exchange")
				.register(meterRegistry);
			this.timer = current;
		}
		current.record(waitNanos, TimeUnit.NANOSECONDS);
	}

}
