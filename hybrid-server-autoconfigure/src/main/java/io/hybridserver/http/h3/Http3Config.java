package io.hybridserver.http.h3;

import java.time.Duration;

/**
 * The QUIC and HTTP/3 settings of the UDP listener ({@code server.hybrid.http3.*}), and whether it runs at all. The
 * defaults bound what one connection may make the server hold: streams times per-stream data.
 */
public final class Http3Config {

	/** RFC 9000 18.2: max_udp_payload_size below 1200 is invalid. */
	public static final int MIN_UDP_PAYLOAD_SIZE = 1200;

	/** RFC 9000 18.2: the largest UDP payload there is. */
	public static final int MAX_UDP_PAYLOAD_SIZE = 65_527;

	private boolean enabled;

	private int port = -1;

	private int maxStreams = 100;

	private Duration idleTimeout = Duration.ofSeconds(30);

	private long initialMaxStreamData = 256 * 1024;

	private long initialMaxData = -1;

	private int maxUdpPayloadSize = 1350;

	private long qpackMaxTableCapacity;

	private long qpackBlockedStreams;

	private boolean earlyData;

	private long maxFieldSectionSize = 8 * 1024;

	private boolean reusePort;

	/** Whether the QUIC listener runs ({@code server.hybrid.http3.enabled}). */
	public boolean isEnabled() {
		return this.enabled;
	}

	public Http3Config setEnabled(boolean enabled) {
		this.enabled = enabled;
		return this;
	}

	/** The UDP port, or {@code -1} for the TLS listener's own port number (the usual setup). */
	public int getPort() {
		return this.port;
	}

	public Http3Config setPort(int port) {
		this.port = port;
		return this;
	}

	/** Request streams a client may have open at once on a connection (initial_max_streams_bidi). */
	public int getMaxStreams() {
		return this.maxStreams;
	}

	public Http3Config setMaxStreams(int maxStreams) {
		this.maxStreams = maxStreams;
		return this;
	}

	/** Time a connection may be idle before QUIC closes it (max_idle_timeout). */
	public Duration getIdleTimeout() {
		return this.idleTimeout;
	}

	public Http3Config setIdleTimeout(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
		return this;
	}

	/** Request body bytes a client may send on one stream before the application reads them. */
	public long getInitialMaxStreamData() {
		return this.initialMaxStreamData;
	}

	public Http3Config setInitialMaxStreamData(long initialMaxStreamData) {
		this.initialMaxStreamData = initialMaxStreamData;
		return this;
	}

	/**
	 * Bytes a client may send on a connection before the server reads them (initial_max_data): by default max-streams
	 * times the per-stream limit, so that bodies waiting for a worker never hold back a stream being read.
	 */
	public long getInitialMaxData() {
		return (this.initialMaxData >= 0) ? this.initialMaxData : this.maxStreams * this.initialMaxStreamData;
	}

	public Http3Config setInitialMaxData(long initialMaxData) {
		this.initialMaxData = initialMaxData;
		return this;
	}

	/** The largest UDP payload sent and accepted (max_udp_payload_size). */
	public int getMaxUdpPayloadSize() {
		return this.maxUdpPayloadSize;
	}

	public Http3Config setMaxUdpPayloadSize(int maxUdpPayloadSize) {
		this.maxUdpPayloadSize = maxUdpPayloadSize;
		return this;
	}

	/** QPACK dynamic table capacity the decoder allows the client (0: static table only). */
	public long getQpackMaxTableCapacity() {
		return this.qpackMaxTableCapacity;
	}

	public Http3Config setQpackMaxTableCapacity(long qpackMaxTableCapacity) {
		this.qpackMaxTableCapacity = qpackMaxTableCapacity;
		return this;
	}

	/** Streams that may wait for QPACK encoder instructions (SETTINGS_QPACK_BLOCKED_STREAMS). */
	public long getQpackBlockedStreams() {
		return this.qpackBlockedStreams;
	}

	public Http3Config setQpackBlockedStreams(long qpackBlockedStreams) {
		this.qpackBlockedStreams = qpackBlockedStreams;
		return this;
	}

	/** Whether 0-RTT data is accepted: faster resumption, but such requests can be replayed by an attacker. */
	public boolean isEarlyData() {
		return this.earlyData;
	}

	public Http3Config setEarlyData(boolean earlyData) {
		this.earlyData = earlyData;
		return this;
	}

	/** The largest request header section (SETTINGS_MAX_FIELD_SECTION_SIZE); {@code server.max-http-request-header-size}. */
	public long getMaxFieldSectionSize() {
		return this.maxFieldSectionSize;
	}

	public Http3Config setMaxFieldSectionSize(long maxFieldSectionSize) {
		this.maxFieldSectionSize = maxFieldSectionSize;
		return this;
	}

	/**
	 * Whether the listener binds one UDP socket per event loop with {@code SO_REUSEPORT}, packets steered to the socket
	 * that owns their connection by an index in the server's connection ids.
	 */
	public boolean isReusePort() {
		return this.reusePort;
	}

	public Http3Config setReusePort(boolean reusePort) {
		this.reusePort = reusePort;
		return this;
	}

	/** What is wrong with these settings, naming the property to change, or {@code null} when they can work. */
	public String problem() {
		if (!this.enabled) {
			return null;
		}
		if (this.port < -1 || this.port > 65_535) {
			return "server.hybrid.http3.port must be a UDP port (0-65535), or unset for the TLS port; was " + this.port;
		}
		if (this.maxStreams < 1) {
			return "server.hybrid.http3.max-streams must be at least 1, was " + this.maxStreams;
		}
		if (this.idleTimeout == null || this.idleTimeout.isNegative() || this.idleTimeout.isZero()) {
			return "server.hybrid.http3.idle-timeout must be positive, was " + this.idleTimeout;
		}
		if (this.initialMaxStreamData < 1024) {
			return "server.hybrid.http3.initial-max-stream-data must be at least 1KB, was " + this.initialMaxStreamData
					+ " bytes";
		}
		if (getInitialMaxData() < this.initialMaxStreamData) {
			return "server.hybrid.http3.initial-max-data must be at least initial-max-stream-data ("
					+ this.initialMaxStreamData + " bytes), was " + getInitialMaxData() + " bytes";
		}
		if (this.maxUdpPayloadSize < MIN_UDP_PAYLOAD_SIZE || this.maxUdpPayloadSize > MAX_UDP_PAYLOAD_SIZE) {
			return "server.hybrid.http3.max-udp-payload-size must lie between " + MIN_UDP_PAYLOAD_SIZE + " and "
					+ MAX_UDP_PAYLOAD_SIZE + " bytes (RFC 9000), was " + this.maxUdpPayloadSize;
		}
		if (this.qpackMaxTableCapacity < 0 || this.qpackMaxTableCapacity > (1L << 30)) {
			return "server.hybrid.http3.qpack-max-table-capacity must lie between 0 and 1GB, was "
					+ this.qpackMaxTableCapacity;
		}
		if (this.qpackBlockedStreams < 0 || this.qpackBlockedStreams > this.maxStreams) {
			return "server.hybrid.http3.qpack-blocked-streams must lie between 0 and max-streams (" + this.maxStreams
					+ "), was " + this.qpackBlockedStreams;
		}
		return null;
	}

}
