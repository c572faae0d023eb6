package io.hybridserver.bench.netty;

import java.util.concurrent.atomic.LongAdder;

/** What the bare server counts: accepted connections, TLS handshakes, and how many of those resumed a session. */
final class ConnectionStats {

	private final LongAdder connections = new LongAdder();

	private final LongAdder handshakes = new LongAdder();

	private final LongAdder resumed = new LongAdder();

	private final LongAdder failedHandshakes = new LongAdder();

	void connectionOpened() {
		this.connections.increment();
	}

	void handshake(boolean success, boolean sessionReused) {
		if (!success) {
			this.failedHandshakes.increment();
			return;
		}
		this.handshakes.increment();
		if (sessionReused) {
			this.resumed.increment();
		}
	}

	@Override
	public String toString() {
		return "connections=" + this.connections.sum() + " handshakes=" + this.handshakes.sum() + " resumed="
				+ this.resumed.sum() + " failed_handshakes=" + this.failedHandshakes.sum();
	}

}
