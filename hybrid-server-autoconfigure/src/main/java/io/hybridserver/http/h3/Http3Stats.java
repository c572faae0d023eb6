package io.hybridserver.http.h3;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the QUIC listener counts for the metrics binder: connections, TLS handshakes, Retry address validation, and
 * the packets of ended connections (sent, received, lost, retransmitted, as the QUIC library counts them).
 * Requests are counted with the other protocols' ({@code protocol=h3}) in {@link io.hybridserver.http.HttpServerStats}.
 */
public final class Http3Stats {

	private final LongAdder connectionsAccepted = new LongAdder();

	private final LongAdder connectionsActive = new LongAdder();

	private final LongAdder connectionsRefused = new LongAdder();

	private final LongAdder handshakesSucceeded = new LongAdder();

	private final LongAdder handshakesFailed = new LongAdder();

	private final LongAdder packetsSent = new LongAdder();

	private final LongAdder packetsReceived = new LongAdder();

	private final LongAdder packetsLost = new LongAdder();

	private final LongAdder packetsRetransmitted = new LongAdder();

	private volatile RetryTokenHandler tokens;

	void connectionOpened() {
		this.connectionsAccepted.increment();
		this.connectionsActive.increment();
	}

	void connectionClosed() {
		this.connectionsActive.decrement();
	}

	void connectionRefused() {
		this.connectionsRefused.increment();
	}

	void handshake(boolean success) {
		(success ? this.handshakesSucceeded : this.handshakesFailed).increment();
	}

	/** Adds an ended connection's packet counts (its library's figures at close). */
	void connectionPackets(long sent, long received, long lost, long retransmitted) {
		this.packetsSent.add(sent);
		this.packetsReceived.add(received);
		this.packetsLost.add(lost);
		this.packetsRetransmitted.add(retransmitted);
	}

	void tokens(RetryTokenHandler tokens) {
		this.tokens = tokens;
	}

	/** QUIC connections the server took (after address validation). */
	public long connectionsAccepted() {
		return this.connectionsAccepted.sum();
	}

	/** QUIC connections open now. */
	public long connectionsActive() {
		return this.connectionsActive.sum();
	}

	/** QUIC connections closed at once because their client address had its share open. */
	public long connectionsRefused() {
		return this.connectionsRefused.sum();
	}

	/** TLS handshakes inside QUIC that completed. */
	public long handshakesSucceeded() {
		return this.handshakesSucceeded.sum();
	}

	/** TLS handshakes inside QUIC that failed. */
	public long handshakesFailed() {
		return this.handshakesFailed.sum();
	}

	/** Retry packets sent with an address validation token. */
	public long retriesSent() {
		RetryTokenHandler handler = this.tokens;
		return (handler != null) ? handler.issued() : 0;
	}

	/** Initial packets whose token was refused (forged, expired, from another address). */
	public long tokensRefused() {
		RetryTokenHandler handler = this.tokens;
		return (handler != null) ? handler.refused() : 0;
	}

	/** QUIC packets ended connections sent. */
	public long packetsSent() {
		return this.packetsSent.sum();
	}

	/** QUIC packets ended connections received. */
	public long packetsReceived() {
		return this.packetsReceived.sum();
	}

	/** Packets ended connections declared lost (no acknowledgement in time). */
	public long packetsLost() {
		return this.packetsLost.sum();
	}

	/** Packets ended connections sent again because the first copy was lost. */
	public long packetsRetransmitted() {
		return this.packetsRetransmitted.sum();
	}

}
