package io.hybridserver.autoconfigure;

import io.hybridserver.boot.ReactiveDispatchMode;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.hybridserver.servlet.ServletDeployment;
import io.hybridserver.servlet.spec.ForwardedHeaders;
import io.hybridserver.tls.TlsProvider;
import io.hybridserver.transport.TransportKind;

/**
 * The hybrid server's own settings, under {@code server.hybrid}. Spring Boot's common {@code server.*} properties
 * (port, address, max-http-request-header-size, server-header, shutdown, servlet.*) apply as they do to Tomcat.
 */
@ConfigurationProperties("server.hybrid")
public class HybridServerProperties {

	/**
	 * Transport that runs the I/O event loops: auto (epoll on Linux, kqueue on macOS, else NIO), epoll, io-uring,
	 * kqueue or nio. Naming a transport that cannot load here fails startup with the native cause.
	 */
	private TransportKind transport = TransportKind.AUTO;

	/**
	 * Number of I/O event loop threads. Defaults to the number of available processors.
	 */
	private int ioThreads = Runtime.getRuntime().availableProcessors();

	/**
	 * Number of platform worker threads that run filters, servlets and controllers. Ignored when
	 * spring.threads.virtual.enabled=true on Java 21+, where each request gets its own virtual thread.
	 */
	private int workers = 200;

	/**
	 * Requests that may wait for a worker. When the queue is full, further requests are answered 503 with Retry-After.
	 */
	private int requestQueueCapacity = 1024;

	/**
	 * Bound of each event loop's response queue (writes handed from workers to the loop).
	 */
	private int responseQueueCapacity = 8192;

	/**
	 * Time a client has to send a complete request head after connecting or starting it, and the longest wait for the
	 * next piece of a request body or for a slow client to take response bytes. A head not complete in time gets 408.
	 */
	private Duration connectionTimeout = Duration.ofSeconds(20);

	/**
	 * Time an idle keep-alive connection waits for its next request before it is closed.
	 */
	private Duration keepAliveTimeout = Duration.ofSeconds(20);

	/**
	 * Requests served on one connection before it is closed. 0 or less for no limit.
	 */
	private int maxKeepAliveRequests = 100;

	/**
	 * Connections open at once. At the bound the server stops accepting until a connection closes.
	 */
	private int maxConnections = 10_000;

	/**
	 * Requests one connection may pipeline ahead of their answers. Beyond it the server stops reading and closes the
	 * connection after answering those it took, as RFC 9112 allows.
	 */
	private int maxPipelinedRequests = 16;

	/**
	 * Longest request line (method, target, version) accepted; longer ones get 414.
	 */
	private int maxRequestLineLength = 8 * 1024;

	/**
	 * Request body bytes buffered for a worker before the connection stops reading from the client.
	 */
	private int requestBodyBufferSize = 64 * 1024;

	/**
	 * Response bytes written by a worker but not yet taken by a slow client, past which the worker waits.
	 */
	private int responseBufferSize = 64 * 1024;

	/**
	 * Value of the Retry-After header sent with 503 when the request queue is full.
	 */
	private Duration retryAfter = Duration.ofSeconds(1);

	/**
	 * Whether TRACE requests reach the application. By default the server answers them 405 Method Not Allowed itself,
	 * as Tomcat does (its connector's allowTrace): an echoed request exposes cookies and credentials to cross-site
	 * tracing.
	 */
	private boolean allowTrace = false;

	public boolean isAllowTrace() {
		return this.allowTrace;
	}

	public void setAllowTrace(boolean allowTrace) {
		this.allowTrace = allowTrace;
	}

	/**
	 * TLS engine settings. What the port serves (certificates, protocols, ciphers, client authentication, SNI bundles)
	 * is configured with Spring Boot's server.ssl.* and SSL bundles, as for Tomcat.
	 */
	private final Ssl ssl = new Ssl();

	public TransportKind getTransport() {
		return this.transport;
	}

	public void setTransport(TransportKind transport) {
		this.transport = transport;
	}

	public int getIoThreads() {
		return this.ioThreads;
	}

	public void setIoThreads(int ioThreads) {
		this.ioThreads = ioThreads;
	}

	public int getWorkers() {
		return this.workers;
	}

	public void setWorkers(int workers) {
		this.workers = workers;
	}

	public int getRequestQueueCapacity() {
		return this.requestQueueCapacity;
	}

	public void setRequestQueueCapacity(int requestQueueCapacity) {
		this.requestQueueCapacity = requestQueueCapacity;
	}

	public int getResponseQueueCapacity() {
		return this.responseQueueCapacity;
	}

	public void setResponseQueueCapacity(int responseQueueCapacity) {
		this.responseQueueCapacity = responseQueueCapacity;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	public Duration getKeepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	public void setKeepAliveTimeout(Duration keepAliveTimeout) {
		this.keepAliveTimeout = keepAliveTimeout;
	}

	public int getMaxKeepAliveRequests() {
		return this.maxKeepAliveRequests;
	}

	public void setMaxKeepAliveRequests(int maxKeepAliveRequests) {
		this.maxKeepAliveRequests = maxKeepAliveRequests;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public int getMaxPipelinedRequests() {
		return this.maxPipelinedRequests;
	}

	public void setMaxPipelinedRequests(int maxPipelinedRequests) {
		this.maxPipelinedRequests = maxPipelinedRequests;
	}

	public int getMaxRequestLineLength() {
		return this.maxRequestLineLength;
	}

	public void setMaxRequestLineLength(int maxRequestLineLength) {
		this.maxRequestLineLength = maxRequestLineLength;
	}

	public int getRequestBodyBufferSize() {
		return this.requestBodyBufferSize;
	}

	public void setRequestBodyBufferSize(int requestBodyBufferSize) {
		this.requestBodyBufferSize = requestBodyBufferSize;
	}

	public int getResponseBufferSize() {
		return this.responseBufferSize;
	}

	public void setResponseBufferSize(int responseBufferSize) {
		this.responseBufferSize = responseBufferSize;
	}

	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public void setRetryAfter(Duration retryAfter) {
		this.retryAfter = retryAfter;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	/**
	 * TLS engine settings, under {@code server.hybrid.ssl}.
	 */
	public static class Ssl {

		/**
		 * TLS implementation: auto (BoringSSL when its native library loads, else the JDK's engine with a warning),
		 * boringssl (fail startup when it cannot load) or jdk.
		 */
		private TlsProvider provider = TlsProvider.AUTO;

		/**
		 * Time a client has, from connecting, to complete the TLS handshake; connections that take longer are closed.
		 */
		private Duration handshakeTimeout = Duration.ofSeconds(10);

		public TlsProvider getProvider() {
			return this.provider;
		}

		public void setProvider(TlsProvider provider) {
			this.provider = provider;
		}

		public Duration getHandshakeTimeout() {
			return this.handshakeTimeout;
		}

		public void setHandshakeTimeout(Duration handshakeTimeout) {
			this.handshakeTimeout = handshakeTimeout;
		}

	}

	// ---- slow clients ----------------------------------------------------------------------------------------

	/**
	 * Slowest a request body may arrive, in bytes per second, averaged from its start over the time the server was
	 * reading it. A slower body gets 408 and the connection closes. 0 for no minimum.
	 */
	private long minRequestBodyRate = 240;

	/**
	 * Time a request body may arrive more slowly than min-request-body-rate before it is cut.
	 */
	private Duration minRequestBodyRateGrace = Duration.ofSeconds(5);

	/**
	 * Connections one client address may have open at once; further ones are closed as soon as they are accepted.
	 * 0 or less for no limit (the default: behind a proxy or NAT every client shares one address).
	 */
	private int maxConnectionsPerAddress = 0;

	public long getMinRequestBodyRate() {
		return this.minRequestBodyRate;
	}

	public void setMinRequestBodyRate(long minRequestBodyRate) {
		this.minRequestBodyRate = minRequestBodyRate;
	}

	public Duration getMinRequestBodyRateGrace() {
		return this.minRequestBodyRateGrace;
	}

	public void setMinRequestBodyRateGrace(Duration minRequestBodyRateGrace) {
		this.minRequestBodyRateGrace = minRequestBodyRateGrace;
	}

	public int getMaxConnectionsPerAddress() {
		return this.maxConnectionsPerAddress;
	}

	public void setMaxConnectionsPerAddress(int maxConnectionsPerAddress) {
		this.maxConnectionsPerAddress = maxConnectionsPerAddress;
	}

	// ---- the reactive adapter --------------------------------------------------------------------------------

	/**
	 * WebFlux applications, under {@code server.hybrid.reactive}.
	 */
	private final Reactive reactive = new Reactive();

	public Reactive getReactive() {
		return this.reactive;
	}

	/**
	 * WebFlux applications, under {@code server.hybrid.reactive}.
	 */
	public static class Reactive {

		/**
		 * Where the WebFlux HttpHandler runs: workers (on the dispatch tier, so that a handler blocking by mistake
		 * cannot stall the I/O threads) or event-loop (on the I/O thread that read the request, as Reactor Netty
		 * does: one hand-off less, for applications that never block).
		 */
		private ReactiveDispatchMode dispatch = ReactiveDispatchMode.WORKERS;

		public ReactiveDispatchMode getDispatch() {
			return this.dispatch;
		}

		public void setDispatch(ReactiveDispatchMode dispatch) {
			this.dispatch = dispatch;
		}

	}

	// ---- the servlet container -------------------------------------------------------------------------------

	/**
	 * Which proxies' forwarding headers are believed when {@code server.forward-headers-strategy=native}: like
	 * {@code server.tomcat.remoteip.*}.
	 */
	private final RemoteIp remoteIp = new RemoteIp();

	/**
	 * Maximum number of parts in a multipart request; more is answered with 413. A bound against requests made of
	 * very many tiny parts.
	 */
	private int maxPartCount = ServletDeployment.DEFAULT_MAX_PART_COUNT;

	public RemoteIp getRemoteIp() {
		return this.remoteIp;
	}

	public int getMaxPartCount() {
		return this.maxPartCount;
	}

	public void setMaxPartCount(int maxPartCount) {
		this.maxPartCount = maxPartCount;
	}

	// ---- the servlet container's static resources (issue 22) -----------------------------------------------------

	/** How {@code ServletContext.getResource} and the default servlet cache their lookups. */
	private final Resource resource = new Resource();

	public Resource getResource() {
		return this.resource;
	}

	/**
	 * The cache in front of the context's resources (document root, {@code META-INF/resources} of class-path
	 * directories and jars): like {@code server.tomcat.resource.*}.
	 */
	public static class Resource {

		/**
		 * Whether resource lookups are cached. Off, every lookup looks again (still without a class-path search: jars are
		 * indexed at startup), so that a changed document root shows at once; for development.
		 */
		private boolean cacheEnabled = true;

		/**
		 * How long a lookup's answer, found or not found, is kept. Bounds how late a file added to or removed from the
		 * document root or a class-path directory is seen. Tomcat's default is the same.
		 */
		private Duration cacheTtl = Duration.ofSeconds(5);

		/**
		 * Maximum number of cached answers. A cached answer is a path and a reference, a few hundred bytes; past the
		 * bound, expired answers then any are dropped.
		 */
		private int cacheMaxEntries = 10_000;

		public boolean isCacheEnabled() {
			return this.cacheEnabled;
		}

		public void setCacheEnabled(boolean cacheEnabled) {
			this.cacheEnabled = cacheEnabled;
		}

		public Duration getCacheTtl() {
			return this.cacheTtl;
		}

		public void setCacheTtl(Duration cacheTtl) {
			this.cacheTtl = cacheTtl;
		}

		public int getCacheMaxEntries() {
			return this.cacheMaxEntries;
		}

		public void setCacheMaxEntries(int cacheMaxEntries) {
			this.cacheMaxEntries = cacheMaxEntries;
		}

	}

	/** Proxies whose forwarding headers are trusted. */
	public static class RemoteIp {

		/**
		 * Regular expression of internal proxy addresses, trusted and never taken for the client. Defaults to loopback,
		 * private, link-local and carrier-grade NAT networks (IPv4 and IPv6).
		 */
		private String internalProxies = ForwardedHeaders.DEFAULT_INTERNAL_PROXIES;

		/** Regular expression of further proxies to trust, for example a CDN's addresses. */
		private String trustedProxies;

		public String getInternalProxies() {
			return this.internalProxies;
		}

		public void setInternalProxies(String internalProxies) {
			this.internalProxies = internalProxies;
		}

		public String getTrustedProxies() {
			return this.trustedProxies;
		}

		public void setTrustedProxies(String trustedProxies) {
			this.trustedProxies = trustedProxies;
		}

	}

	// ---- HTTP/2 -------------------------------------------------------------------------------------------------

	/**
	 * HTTP/2 limits, under {@code server.hybrid.http2}. HTTP/2 itself is switched on by Spring Boot's
	 * server.http2.enabled, as for Tomcat.
	 */
	private final Http2 http2 = new Http2();

	public Http2 getHttp2() {
		return this.http2;
	}

	/**
	 * HTTP/2 limits, under {@code server.hybrid.http2}.
	 */
	public static class Http2 {

		/**
		 * Streams one client may have open at once on a connection (SETTINGS_MAX_CONCURRENT_STREAMS). More are
		 * refused with RST_STREAM(REFUSED_STREAM), which clients retry.
		 */
		private int maxConcurrentStreams = 100;

		/**
		 * Request body bytes a client may send on one stream before the application reads them
		 * (SETTINGS_INITIAL_WINDOW_SIZE, 1 to 2147483647): the per-stream bound on buffered request bodies. The
		 * connection's window is max-concurrent-streams times this, so that a stream whose body waits for a worker
		 * never holds back the others.
		 */
		private int initialWindowSize = 65_535;

		/**
		 * Largest frame payload accepted (SETTINGS_MAX_FRAME_SIZE, 16384 to 16777215).
		 */
		private int maxFrameSize = 16_384;

		/**
		 * Largest request header list, uncompressed, counted as RFC 9113 counts it (names, values and 32 bytes per
		 * field) (SETTINGS_MAX_HEADER_LIST_SIZE). A larger one is answered 431. When not set,
		 * server.max-http-request-header-size (8 KB by default), as Tomcat does.
		 */
		private Integer maxHeaderListSize;

		/**
		 * PING, SETTINGS and PRIORITY frames a client may send per second on one connection; one more closes the
		 * connection with GOAWAY(ENHANCE_YOUR_CALM) (ping and settings floods).
		 */
		private int maxControlFramesPerSecond = 1_000;

		/**
		 * RST_STREAM frames a client may send (rapid reset, CVE-2023-44487), and may make the server send
		 * (MadeYouReset, CVE-2025-8671), per reset-window on one connection; one more closes the connection with
		 * GOAWAY(ENHANCE_YOUR_CALM).
		 */
		private int maxResetsPerWindow = 200;

		/**
		 * The window over which max-resets-per-window is counted (whole seconds).
		 */
		private Duration resetWindow = Duration.ofSeconds(30);

		public int getMaxControlFramesPerSecond() {
			return this.maxControlFramesPerSecond;
		}

		public void setMaxControlFramesPerSecond(int maxControlFramesPerSecond) {
			this.maxControlFramesPerSecond = maxControlFramesPerSecond;
		}

		public int getMaxResetsPerWindow() {
			return this.maxResetsPerWindow;
		}

		public void setMaxResetsPerWindow(int maxResetsPerWindow) {
			this.maxResetsPerWindow = maxResetsPerWindow;
		}

		public Duration getResetWindow() {
			return this.resetWindow;
		}

		public void setResetWindow(Duration resetWindow) {
			this.resetWindow = resetWindow;
		}

		public int getMaxConcurrentStreams() {
			return this.maxConcurrentStreams;
		}

		public void setMaxConcurrentStreams(int maxConcurrentStreams) {
			this.maxConcurrentStreams = maxConcurrentStreams;
		}

		public int getInitialWindowSize() {
			return this.initialWindowSize;
		}

		public void setInitialWindowSize(int initialWindowSize) {
			this.initialWindowSize = initialWindowSize;
		}

		public int getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(int maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public Integer getMaxHeaderListSize() {
			return this.maxHeaderListSize;
		}

		public void setMaxHeaderListSize(Integer maxHeaderListSize) {
			this.maxHeaderListSize = maxHeaderListSize;
		}

	}

	// ---- WebSocket (issue 15) ---------------------------------------------------------------------------------

	/** WebSocket sessions: frame and message limits, timeouts, buffers, the number of sessions. */
	private final Websocket websocket = new Websocket();

	public Websocket getWebsocket() {
		return this.websocket;
	}

	/** The limits of WebSocket sessions; Jakarta's per-session settings start from these. */
	public static class Websocket {

		/** Largest frame payload accepted, in bytes; a bigger frame is answered with close code 1009 (message too big). */
		private int maxFrameSize = 65536;

		/**
		 * Largest message delivered whole, in bytes (the default of setMaxTextMessageBufferSize and
		 * setMaxBinaryMessageBufferSize); a bigger message closes the session with 1009.
		 */
		private int maxMessageSize = 65536;

		/** How long a session may stay without a frame either way before it is closed with 1001; 0: no limit. */
		private Duration idleTimeout = Duration.ZERO;

		/** Most WebSocket sessions open at once; an upgrade beyond it is answered 503. 0: no limit. */
		private int maxSessions;

		/**
		 * Bytes sent and not yet taken by the client, per session, above which asynchronous sends fail at once and
		 * blocking sends wait.
		 */
		private int sendBufferSize = 1048576;

		/** How long a send may wait for the client before it fails and the connection closes. */
		private Duration sendTimeout = Duration.ofSeconds(20);

		/** How long to wait for the client's close frame after the server's before closing the connection. */
		private Duration closeTimeout = Duration.ofSeconds(5);

		public int getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(int maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public int getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public int getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
		}

		public int getSendBufferSize() {
			return this.sendBufferSize;
		}

		public void setSendBufferSize(int sendBufferSize) {
			this.sendBufferSize = sendBufferSize;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public Duration getCloseTimeout() {
			return this.closeTimeout;
		}

		public void setCloseTimeout(Duration closeTimeout) {
			this.closeTimeout = closeTimeout;
		}

	}

}
