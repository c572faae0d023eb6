package io.hybridserver.metrics;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * Binds the {@code hybrid.server.*} meters of one server. Every meter reads a counter the engine keeps anyway, so the
 * cost on the request path is a striped-adder increment, and tags come from small fixed sets (no paths, no clients).
 */
public final class HybridServerMeters implements MeterBinder {

	/** Prefix of every meter. */
	public static final String PREFIX = "hybrid.server.";

	private final HttpServerStats stats;

	private final Supplier<Dispatcher> dispatcher;

	private final IntSupplier responseQueueDepth;

	private final IntSupplier responseQueueCapacity;

	private final IntSupplier activeConnections;

	private final LongSupplier acceptedConnections;

	private final LongSupplier refusedConnections;

	/**
	 * @param stats the HTTP layer's counters
	 * @param dispatcher the current dispatcher, {@code null} while stopped
	 * @param responseQueueDepth tasks waiting in the response queues
	 * @param responseQueueCapacity bound of the response queues
	 * @param activeConnections connections open now
	 * @param acceptedConnections connections accepted since start
	 * @param refusedConnections connections closed at accept because their client address had too many open
	 */
	public HybridServerMeters(HttpServerStats stats, Supplier<Dispatcher> dispatcher, IntSupplier responseQueueDepth,
			IntSupplier responseQueueCapacity, IntSupplier activeConnections, LongSupplier acceptedConnections,
			LongSupplier refusedConnections) {
		this.stats = stats;
		this.dispatcher = dispatcher;
		this.responseQueueDepth = responseQueueDepth;
		this.responseQueueCapacity = responseQueueCapacity;
		this.activeConnections = activeConnections;
		this.acceptedConnections = acceptedConnections;
		this.refusedConnections = refusedConnections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		// Counts carry no base unit: Prometheus appends a base unit to the name, and "connections" there gave
		// hybrid_server_connections_accepted_connections_total. Base units are for bytes and seconds only.
		Gauge.builder(PREFIX + "connections.active", this.activeConnections, IntSupplier::getAsInt)
			.description("Connections open now")
			.strongReference(true)
			.register(registry);
		FunctionCounter.builder(PREFIX + "connections.accepted", this.acceptedConnections, LongSupplier::getAsLong)
			.description("Connections accepted")
			.register(registry);
		FunctionCounter.builder(PREFIX + "connections.refused", this.refusedConnections, LongSupplier::getAsLong)
			.description("Connections closed at accept: their client address had max-connections-per-address open")
			.register(registry);
		bindQueues(registry);
		bindWorkers(registry);
		bindRequests(registry);
		bindStreams(registry);
		// The unit ends the name, so Prometheus appends nothing: hybrid_server_received_bytes_total (as
		// bytes.received it was hybrid_server_bytes_received_bytes_total).
		FunctionCounter.builder(PREFIX + "received.bytes", this.stats, HttpServerStats::bytesReceived)
			.description("Bytes read from connections")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder(PREFIX + "sent.bytes", this.stats, HttpServerStats::bytesSent)
			.description("Bytes written to connections")
			.baseUnit("bytes")
			.register(registry);
	}

	private void bindQueues(MeterRegistry registry) {
		Gauge.builder(PREFIX + "queue.depth", this, (meters) -> dispatcherValue(Dispatcher::queueDepth))
			.tags(Tags.of("queue", "request"))
			.description("Entries waiting in the queue")
			.strongReference(true)
			.register(registry);
		Gauge.builder(PREFIX + "requests.waiting", this, (meters) -> dispatcherValue(Dispatcher::waitingRequests))
			.description("Requests that found the request queue full and wait for room (request-queue-timeout)")
			.strongReference(true)
			.register(registry);
		Gauge.builder(PREFIX + "queue.depth", this.responseQueueDepth, IntSupplier::getAsInt)
			.tags(Tags.of("queue", "response"))
			.description("Entries waiting in the queue")
			.strongReference(true)
			.register(registry);
		Gauge.builder(PREFIX + "queue.capacity", this, (meters) -> dispatcherValue(Dispatcher::queueCapacity))
			.tags(Tags.of("queue", "request"))
			.description("Bound of the queue")
			.strongReference(true)
			.register(registry);
		Gauge.builder(PREFIX + "queue.capacity", this.responseQueueCapacity, IntSupplier::getAsInt)
			.tags(Tags.of("queue", "response"))
			.description("Bound of the queue")
			.strongReference(true)
			.register(registry);
	}

	private void bindWorkers(MeterRegistry registry) {
		Gauge.builder(PREFIX + "workers.busy", this, (meters) -> dispatcherValue(Dispatcher::busyWorkers))
			.description("Workers running an exchange now")
			.strongReference(true)
			.register(registry);
		Gauge.builder(PREFIX + "workers.max", this, (meters) -> {
			double max = dispatcherValue(Dispatcher::maxWorkers);
			return (max == Integer.MAX_VALUE) ? Double.POSITIVE_INFINITY : max;
		})
			.description("Most workers that can run at once (infinite with virtual threads)")
			.strongReference(true)
			.register(registry);
		// Tomcat's tomcat.threads.current: platform workers are started on demand, so this moves between
		// server.hybrid.min-spare-workers and server.hybrid.workers.
		Gauge.builder(PREFIX + "workers.current", this, (meters) -> dispatcherValue(Dispatcher::currentWorkers))
			.description("Worker threads that exist now (platform workers started and not retired)")
			.strongReference(true)
			.register(registry);
	}

	private void bindRequests(MeterRegistry registry) {
		for (int protocol = 0; protocol < HttpServerStats.PROTOCOLS.length; protocol++) {
			for (int outcome = 0; outcome < HttpServerStats.OUTCOMES.length; outcome++) {
				int p = protocol;
				int o = outcome;
				FunctionCounter.builder(PREFIX + "requests", this.stats, (s) -> s.requests(p, o))
					.tags(Tags.of("protocol", HttpServerStats.PROTOCOLS[p], "outcome", HttpServerStats.OUTCOMES[o]))
					.description("Requests answered by the application tier")
					.register(registry);
			}
		}
		for (Rejection reason : Rejection.values()) {
			FunctionCounter.builder(PREFIX + "requests.rejected", this.stats, (s) -> s.rejections(reason))
				.tags(Tags.of("reason", reason.tag()))
				.description("Requests refused by the I/O tier")
				.register(registry);
		}
	}

	private void bindStreams(MeterRegistry registry) {
		Gauge.builder(PREFIX + "http2.streams.active", this.stats, HttpServerStats::streamsActive)
			.description("HTTP/2 streams open now")
			.strongReference(true)
			.register(registry);
		FunctionCounter.builder(PREFIX + "http2.streams.opened", this.stats, HttpServerStats::streamsOpened)
			.description("HTTP/2 streams opened by clients")
			.register(registry);
		for (int side = 0; side < HttpServerStats.RESET_SIDES.length; side++) {
			for (int error = 0; error < HttpServerStats.STREAM_ERRORS.length; error++) {
				int s = side;
				int e = error;
				FunctionCounter.builder(PREFIX + "http2.streams.reset", this.stats, (stats) -> stats.streamResets(s, e))
					.tags(Tags.of("side", HttpServerStats.RESET_SIDES[s], "error", HttpServerStats.STREAM_ERRORS[e]))
					.description("HTTP/2 streams reset, by who sent the RST_STREAM and its error code")
					.register(registry);
				FunctionCounter.builder(PREFIX + "http2.goaway", this.stats, (stats) -> stats.goAways(s, e))
					.tags(Tags.of("side", HttpServerStats.RESET_SIDES[s], "error", HttpServerStats.STREAM_ERRORS[e]))
					.description("HTTP/2 connections told to go away, by who sent the GOAWAY and its error code")
					.register(registry);
			}
		}
	}

	private double dispatcherValue(ToIntFunction<Dispatcher> value) {
		Dispatcher current = this.dispatcher.get();
		return (current != null) ? value.applyAsInt(current) : 0;
	}

}
