package io.hybridserver.metrics;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The access log's meters: lines dropped rather than written (the queue was full, or the file could not be written)
 * and lines waiting for the writer. A dropped line is the price of never slowing a request down for its log line, so it
 * must at least be seen.
 */
public final class AccessLogMeters implements MeterBinder {

	private final LongSupplier droppedQueueFull;

	private final LongSupplier droppedWriteFailed;

	private final IntSupplier queueDepth;

	/**
	 * @param droppedQueueFull lines dropped because the writer's queue was full
	 * @param droppedWriteFailed lines dropped because they could not be written
	 * @param queueDepth lines waiting for the writer now
	 */
	public AccessLogMeters(LongSupplier droppedQueueFull, LongSupplier droppedWriteFailed, IntSupplier queueDepth) {
		this.droppedQueueFull = droppedQueueFull;
		this.droppedWriteFailed = droppedWriteFailed;
		this.queueDepth = queueDepth;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder(HybridServerMeters.PREFIX + "accesslog.lines.dropped", this.droppedQueueFull,
				LongSupplier::getAsLong)
			.tags(Tags.of("reason", "queue-full"))
			.description("Access log lines dropped rather than written")
			.register(registry);
		FunctionCounter.builder(HybridServerMeters.PREFIX + "accesslog.lines.dropped", this.droppedWriteFailed,
				LongSupplier::getAsLong)
			.tags(Tags.of("reason", "write-failed"))
			.description("Access log lines dropped rather than written")
			.register(registry);
		Gauge.builder(HybridServerMeters.PREFIX + "queue.depth", this.queueDepth, IntSupplier::getAsInt)
			.tags(Tags.of("queue", "accesslog"))
			.description("Entries waiting in the queue")
			.strongReference(true)
			.register(registry);
	}

}
