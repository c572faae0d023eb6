package io.hybridserver.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.hybridserver.http.h3.Http3Stats;

/**
 * The {@code hybrid.server.quic.*} meters of the HTTP/3 listener: connections, TLS handshakes, Retry address
 * validation and the packets of ended connections. Its requests are the {@code hybrid.server.requests} of {@code protocol=h3}.
 */
public final class QuicMeters implements MeterBinder {

	private static final String PREFIX = HybridServerMeters.PREFIX + "quic.";

	private final Http3Stats stats;

	public QuicMeters(Http3Stats stats) {
		this.stats = stats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(PREFIX + "connections.active", this.stats, Http3Stats::connectionsActive)
			.description("QUIC connections open now")
			.strongReference(true)
			.register(registry);
		FunctionCounter.builder(PREFIX + "connections.accepted", this.stats, Http3Stats::connectionsAccepted)
			.description("QUIC connections accepted after address validation")
			.register(registry);
		FunctionCounter.builder(PREFIX + "connections.refused", this.stats, Http3Stats::connectionsRefused)
			.description("QUIC connections closed at once: their client address had max-connections-per-address open")
			.register(registry);
		FunctionCounter.builder(PREFIX + "handshakes", this.stats, Http3Stats::handshakesSucceeded)
			.tags(Tags.of("result", "success"))
			.description("TLS handshakes inside QUIC, by result")
			.register(registry);
		FunctionCounter.builder(PREFIX + "handshakes", this.stats, Http3Stats::handshakesFailed)
			.tags(Tags.of("result", "failure"))
			.description("TLS handshakes inside QUIC, by result")
			.register(registry);
		FunctionCounter.builder(PREFIX + "retries", this.stats, Http3Stats::retriesSent)
			.description("Retry packets sent to validate a client's address")
			.register(registry);
		FunctionCounter.builder(PREFIX + "tokens.refused", this.stats, Http3Stats::tokensRefused)
			.description("Initial packets whose address validation token was forged, expired or from another address")
			.register(registry);
		FunctionCounter.builder(PREFIX + "packets", this.stats, Http3Stats::packetsSent)
			.tags(Tags.of("direction", "sent"))
			.description("QUIC packets of ended connections, by direction")
			.register(registry);
		FunctionCounter.builder(PREFIX + "packets", this.stats, Http3Stats::packetsReceived)
			.tags(Tags.of("direction", "received"))
			.description("QUIC packets of ended connections, by direction")
			.register(registry);
		FunctionCounter.builder(PREFIX + "packets.lost", this.stats, Http3Stats::packetsLost)
			.description("QUIC packets ended connections declared lost")
			.register(registry);
		FunctionCounter.builder(PREFIX + "packets.retransmitted", this.stats, Http3Stats::packetsRetransmitted)
			.description("QUIC packets ended connections sent again after a loss")
			.register(registry);
	}

}
