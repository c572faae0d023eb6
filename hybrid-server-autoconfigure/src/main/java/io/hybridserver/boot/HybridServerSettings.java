package io.hybridserver.boot;

import java.time.Duration;
import java.util.List;

import io.hybridserver.accesslog.AccessLogSettings;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.h2.Http2Config;
import io.hybridserver.http.h3.Http3Config;
import io.hybridserver.tls.TlsSettings;
import io.hybridserver.transport.ProtocolDetectionSettings;
import io.hybridserver.transport.ProxyProtocolSettings;
import io.hybridserver.transport.TransportKind;

/**
 * The engine's settings beyond Spring Boot's common ones (port, address, SSL): transport, threads, queues, the
 * HTTP limits and the TLS engine. Filled from {@code server.hybrid.*} by auto-configuration, or by a {@link HybridServerCustomizer}.
 */
public final class HybridServerSettings {

	private TransportKind transport = TransportKind.AUTO;

	private int ioThreads = Runtime.getRuntime().availableProcessors();

	private int workers = 200;

	private int requestQueueCapacity = 1024;

	private int responseQueueCapacity = 8192;

	private int maxConnections = 10_000;

	private int maxConnectionsPerAddress;

	private int acceptBacklog = 4096;

	private boolean virtualThreads;

	private boolean handlersOnEventLoop;

	private List<String> additionalCompressionMimeTypes = List.of();

	private final HttpServerConfig http = new HttpServerConfig();

	private final TlsSettings tls = new TlsSettings();

	private final Http2Config http2 = new Http2Config();

	private final Http3Config http3 = new Http3Config();

	private final AccessLogSettings accessLog = new AccessLogSettings();

	private ProxyProtocolSettings proxyProtocol = ProxyProtocolSettings.OFF;

	private boolean reusePort;

	private ProtocolDetectionSettings protocolDetection = ProtocolDetectionSettings.OFF;

	/**
	 * Whether the primary port, when it is TLS, also serves clear text, told apart by each connection's first bytes;
	 * off by default.
	 */
	public ProtocolDetectionSettings getProtocolDetection() {
		return this.protocolDetection;
	}

	public void setProtocolDetection(ProtocolDetectionSettings protocolDetection) {
		this.protocolDetection = (protocolDetection != null) ? protocolDetection : ProtocolDetectionSettings.OFF;
	}

	/**
	 * Whether each TCP listener binds one socket per event loop with {@code SO_REUSEPORT}, so that the kernel spreads
	 * new connections over the loops and accepting scales with them (epoll and io_uring only).
	 */
	public boolean isReusePort() {
		return this.reusePort;
	}

	public void setReusePort(boolean reusePort) {
		this.reusePort = reusePort;
	}

	/** How the primary port ({@code server.port}) treats the PROXY protocol; off by default. */
	public ProxyProtocolSettings getProxyProtocol() {
		return this.proxyProtocol;
	}

	public void setProxyProtocol(ProxyProtocolSettings proxyProtocol) {
		this.proxyProtocol = (proxyProtocol != null) ? proxyProtocol : ProxyProtocolSettings.OFF;
	}

	/** Which transport runs the event loops. */
	public TransportKind getTransport() {
		return this.transport;
	}

	public void setTransport(TransportKind transport) {
		this.transport = (transport != null) ? transport : TransportKind.AUTO;
	}

	/** Number of I/O event loops. */
	public int getIoThreads() {
		return this.ioThreads;
	}

	public void setIoThreads(int ioThreads) {
		this.ioThreads = ioThreads;
	}

	/** Number of platform worker threads (ignored with virtual threads). */
	public int getWorkers() {
		return this.workers;
	}

	public void setWorkers(int workers) {
		this.workers = workers;
	}

	private int minSpareWorkers = 10;

	private Duration workerIdleTimeout = Duration.ofSeconds(60);

	/** Platform workers started with the server and kept when idle; more are started on demand up to the workers. */
	public int getMinSpareWorkers() {
		return this.minSpareWorkers;
	}

	public void setMinSpareWorkers(int minSpareWorkers) {
		this.minSpareWorkers = minSpareWorkers;
	}

	/** How long a platform worker beyond the spare ones may idle before its thread ends. */
	public Duration getWorkerIdleTimeout() {
		return this.workerIdleTimeout;
	}

	public void setWorkerIdleTimeout(Duration workerIdleTimeout) {
		this.workerIdleTimeout = workerIdleTimeout;
	}

	/** Exchanges that may wait for a worker; beyond it requests are answered 503. */
	public int getRequestQueueCapacity() {
		return this.requestQueueCapacity;
	}

	public void setRequestQueueCapacity(int requestQueueCapacity) {
		this.requestQueueCapacity = requestQueueCapacity;
	}

	/** Bound of each event loop's response queue. */
	public int getResponseQueueCapacity() {
		return this.responseQueueCapacity;
	}

	public void setResponseQueueCapacity(int responseQueueCapacity) {
		this.responseQueueCapacity = responseQueueCapacity;
	}

	/** Open connections at most; at the bound the server stops accepting until one closes. */
	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/** Open connections one client address may have at once; 0 or less for no limit. */
	public int getMaxConnectionsPerAddress() {
		return this.maxConnectionsPerAddress;
	}

	public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
		this.maxConnectionsPerAddress = maxConnectionsPerAddress;
	}

	/**
	 * Connections the operating system may hold, completed but not yet accepted, while the server is at
	 * {@link #getMaxConnections()} or busy (the listen backlog; the kernel may cap it, on Linux at
	 * {@code net.core.somaxconn}).
	 */
	public int getAcceptBacklog() {
		return this.acceptBacklog;
	}

	public void setAcceptBacklog(int acceptBacklog) {
		this.acceptBacklog = acceptBacklog;
	}

	/** Whether each exchange runs on its own virtual thread (Java 21+). */
	public boolean isVirtualThreads() {
		return this.virtualThreads;
	}

	public void setVirtualThreads(boolean virtualThreads) {
		this.virtualThreads = virtualThreads;
	}

	/**
	 * Whether handlers run on the event loop that decoded the request instead of on workers (the reactive adapter's
	 * {@code event-loop} dispatch mode: only for handlers that never block).
	 */
	public boolean isHandlersOnEventLoop() {
		return this.handlersOnEventLoop;
	}

	public void setHandlersOnEventLoop(boolean handlersOnEventLoop) {
		this.handlersOnEventLoop = handlersOnEventLoop;
	}

	/**
	 * MIME types compressed besides {@code server.compression.mime-types} when compression is on: Boot 4.1's
	 * {@code server.compression.additional-mime-types}, which Boot 4.0's {@code Compression} cannot carry.
	 */
	public List<String> getAdditionalCompressionMimeTypes() {
		return this.additionalCompressionMimeTypes;
	}

	public void setAdditionalCompressionMimeTypes(List<String> additionalCompressionMimeTypes) {
		this.additionalCompressionMimeTypes = (additionalCompressionMimeTypes != null)
				? List.copyOf(additionalCompressionMimeTypes) : List.of();
	}

	/** The HTTP layer's limits and timeouts. */
	public HttpServerConfig getHttp() {
		return this.http;
	}

	/** The TLS engine settings: provider and handshake timeout (what to serve comes from {@code server.ssl}). */
	public TlsSettings getTls() {
		return this.tls;
	}

	/** HTTP/2: whether it is on ({@code server.http2.enabled}) and its limits ({@code server.hybrid.http2.*}). */
	public Http2Config getHttp2() {
		return this.http2;
	}

	/** HTTP/3 over QUIC: whether its UDP listener runs and its limits ({@code server.hybrid.http3.*}). */
	public Http3Config getHttp3() {
		return this.http3;
	}

	/** The access log: off unless enabled ({@code server.hybrid.accesslog.*}). */
	public AccessLogSettings getAccessLog() {
		return this.accessLog;
	}

	/** Checks the settings together, failing with a message that names the property to change. */
	void validate() {
		require(this.ioThreads > 0, "server.hybrid.io-threads must be at least 1, was " + this.ioThreads);
		require(this.virtualThreads || this.workers > 0, "server.hybrid.workers must be at least 1, was " + this.workers);
		require(this.minSpareWorkers >= 0,
				"server.hybrid.min-spare-workers must be 0 or more, was " + this.minSpareWorkers);
		require(this.workerIdleTimeout != null && this.workerIdleTimeout.toMillis() > 0,
				"server.hybrid.worker-idle-timeout must be at least 1ms, was " + this.workerIdleTimeout);
		require(this.requestQueueCapacity > 0,
				"server.hybrid.request-queue-capacity must be at least 1, was " + this.requestQueueCapacity);
		require(this.responseQueueCapacity >= 16,
				"server.hybrid.response-queue-capacity must be at least 16, was " + this.responseQueueCapacity);
		require(this.acceptBacklog > 0, "server.hybrid.accept-backlog must be at least 1, was " + this.acceptBacklog);
		String http2Problem = this.http2.problem();
		require(http2Problem == null, http2Problem);
		String http3Problem = this.http3.problem();
		require(http3Problem == null, http3Problem);
		String accessLogProblem = this.accessLog.problem();
		require(accessLogProblem == null, accessLogProblem);
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new InvalidServerSettingsException(message);
		}
	}

}
