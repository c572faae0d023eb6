package io.hybridserver.http.h1;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.StreamingRequestBody;

/**
 * Keeps slow request bodies from holding workers: one per connection, on its event loop, watching the body being
 * received (there is at most one).
 *
 * <p><b>The gate.</b> A request with a body is handed to a worker only once the body has fully arrived, or once
 * {@code request-body-buffer-size} of it has: the most the connection buffers for a worker anyway, so holding it back
 * costs no memory the connection could not already take. A client that trickles a small body then waits in the I/O
 * tier, where a connection costs a few kilobytes, instead of on a worker blocked in a read. A request with
 * {@code Expect: 100-continue} passes at once: its client sends nothing until the application asks for the body.
 *
 * <p><b>The rate.</b> A body must arrive at {@code min-request-body-rate} bytes per second or more, on average from its
 * start (for {@code 100-continue}, from the interim answer or the first byte) over the time the connection was reading
 * it; time the connection did not read because the application had not consumed what was buffered does not count,
 * nor the first {@code min-request-body-rate-grace}. While the body waits at the gate, a stall as long as the
 * connection timeout also trips it: no worker's read timeout covers a body no worker reads yet. Either way the
 * connection is told through {@link Http1Connection#bodyTooSlow}, which answers 408 or fails the worker's read.
 *
 * <p>Time is checked by one timer per connection, armed only while a body stays incomplete past the read that
 * brought its head, once a second: a body that arrives with its head costs nothing. A body that ends before the timer
 * fires leaves it scheduled, to lapse or to watch the connection's next body, rather than cancelled: a client whose
 * bodies each take two reads (a 16 KiB POST does on a plaintext socket) would otherwise schedule and cancel a timer per
 * request, where this way it costs one per second at most.
 */
final class RequestBodyGuard {

	private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Http1Connection connection;

	private final int gateBytes;

	private final long minBytesPerSecond;

	private final long graceNanos;

	private final long stallNanos;

	private Http1Exchange watched;

	/** Whether the rate clock runs: from the head, or for 100-continue from the interim answer or the first byte. */
	private boolean clockStarted;

	/** Reading time before the current reading stretch. */
	private long activeNanos;

	/** Start of the current reading stretch, or -1 while the connection waits for the application. */
	private long readingSince = -1;

	private long bytes;

	/** Reading time counted when the last bytes came. */
	private long activeAtLastBytes;

	private ScheduledFuture<?> timer;

	private final Runnable onTick = this::tick;

	RequestBodyGuard(Http1Connection connection, HttpServerConfig config) {
		this.connection = connection;
		this.gateBytes = config.getRequestBodyBufferSize();
		this.minBytesPerSecond = config.getMinRequestBodyRate();
		this.graceNanos = config.getMinRequestBodyRateGrace().toNanos();
		this.stallNanos = config.getConnectionTimeout().toNanos();
	}

	/** Whether the exchange may go to a worker now, as far as its body is concerned. */
	boolean mayDispatch(Http1Exchange exchange) {
		StreamingRequestBody body = exchange.body();
		return exchange.expectContinue || body.isEnded() || body.hasFailed() || body.buffered() >= this.gateBytes;
	}

	/** A request head came whose body is still to arrive. */
	void watch(Http1Exchange exchange) {
		stop();
		this.watched = exchange;
		this.activeNanos = 0;
		this.bytes = 0;
		this.activeAtLastBytes = 0;
		this.clockStarted = false;
		this.readingSince = -1;
		if (!exchange.expectContinue) {
			startClock();
		}
	}

	/** Bytes of the watched body arrived. */
	void onBytes(int count) {
		if (!this.clockStarted) {
			startClock();
		}
		this.bytes += count;
		this.activeAtLastBytes = activeNanos(System.nanoTime());
	}

	/** The watched exchange's client was invited to send its body. */
	void onContinueSent(Http1Exchange exchange) {
		if (exchange == this.watched && !this.clockStarted) {
			startClock();
		}
	}

	/**
	 * Whether the connection asks the socket for more of the watched body now: the rate clock runs only while it does.
	 * Arms the timer the first time a body outlives the read that brought its head.
	 */
	void reading(Http1Exchange exchange, boolean reading) {
		if (exchange != this.watched) {
			return;
		}
		if (this.clockStarted) {
			long now = System.nanoTime();
			if (reading && this.readingSince < 0) {
				this.readingSince = now;
			}
			else if (!reading && this.readingSince >= 0) {
				this.activeNanos += now - this.readingSince;
				this.readingSince = -1;
			}
		}
		if (this.timer == null) {
			arm();
		}
	}

	/**
	 * The watched body is no longer received (it ended, failed or was given up). The timer stays: it lapses when it
	 * finds nothing to watch, or serves the next body.
	 */
	void stop() {
		this.watched = null;
	}

	/** The connection closed, or its handler left the pipeline: nothing is watched any more, the timer goes. */
	void close() {
		this.watched = null;
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
	}

	private void startClock() {
		this.clockStarted = true;
		this.readingSince = System.nanoTime();
		this.activeAtLastBytes = 0;
	}

	private long activeNanos(long now) {
		return this.activeNanos + ((this.readingSince >= 0) ? now - this.readingSince : 0);
	}

	private void tick() {
		this.timer = null;
		Http1Exchange exchange = this.watched;
		if (exchange == null || exchange.body().isEnded() || exchange.body().hasFailed()) {
			return;
		}
		String tooSlow = (this.clockStarted) ? tooSlow(exchange, activeNanos(System.nanoTime())) : null;
		if (tooSlow != null) {
			this.watched = null;
			this.connection.bodyTooSlow(exchange, tooSlow);
			return;
		}
		arm();
	}

	private void arm() {
		try {
			this.timer = this.connection.schedule(this.onTick, TICK_NANOS, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The loop is stopping, and closes this connection with it: nothing is left to watch.
			this.timer = null;
		}
	}

	private String tooSlow(Http1Exchange exchange, long active) {
		if (this.minBytesPerSecond > 0 && active > this.graceNanos
				&& this.bytes < this.minBytesPerSecond * (active / 1_000_000) / 1_000) {
			return "The request body arrived more slowly than " + this.minBytesPerSecond + " bytes per second";
		}
		if (!exchange.dispatched && active - this.activeAtLastBytes >= this.stallNanos) {
			return "No request body data arrived within " + TimeUnit.NANOSECONDS.toMillis(this.stallNanos) + " ms";
		}
		return null;
	}

}
