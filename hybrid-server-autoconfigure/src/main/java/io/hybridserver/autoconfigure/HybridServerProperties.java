package io.hybridserver.autoconfigure;

import io.hybridserver.accesslog.AccessLogSettings;
import io.hybridserver.boot.ReactiveDispatchMode;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.hybridserver.servlet.ServletDeployment;
import io.hybridserver.servlet.spec.ForwardedHeaders;
import io.hybridserver.tls.TlsProvider;
import io.hybridserver.transport.ProtocolDetectionSettings;
import io.hybridserver.transport.ProxyProtocolMode;
import io.hybridserver.transport.ProxyProtocolSettings;
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
	 * Requests served on one connection before it is closed. 0 or less for no limit. 1000 rather than Tomcat's 100: a
	 * reconnect costs the server a TLS handshake, and the limit only has to make busy connections move now and then.
	 */
	private int maxKeepAliveRequests = 1000;

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
	private DataSize maxRequestLineLength = DataSize.ofKilobytes(8);

	/**
	 * Request body bytes buffered for a worker before the connection stops reading from the client.
	 */
	private DataSize requestBodyBufferSize = DataSize.ofKilobytes(64);

	/**
	 * The most request body bytes one HTTP/1.1 body may hold while it streams in faster than the application reads
	 * it, taken from request-body-buffer-budget: the loop then wakes the reader once per half of it rather than per
	 * socket read. Never less than request-body-buffer-size.
	 */
	private DataSize maxRequestBodyBufferSize = DataSize.ofMegabytes(1);

	/**
	 * Bytes all request bodies together may hold past request-body-buffer-size; 0 keeps every body at
	 * request-body-buffer-size.
	 */
	private DataSize requestBodyBufferBudget = DataSize.ofMegabytes(64);

	/**
	 * Response bytes written by a worker but not yet taken by a slow client, past which the worker waits.
	 */
	private DataSize responseBufferSize = DataSize.ofKilobytes(64);

	/**
	 * Value of the Retry-After header sent with 503 when the request queue is full.
	 */
	private Duration retryAfter = Duration.ofSeconds(1);

	/**
	 * How long a request that finds the request queue full may wait for room, read and decoded, before it is answered
	 * 503 with Retry-After. Waiting requests are admitted in arrival order as workers free room and hold no thread. 0
	 * answers 503 at once.
	 */
	private Duration requestQueueTimeout = Duration.ofSeconds(10);

	public Duration getRequestQueueTimeout() {
		return this.requestQueueTimeout;
	}

	public void setRequestQueueTimeout(Duration requestQueueTimeout) {
		this.requestQueueTimeout = requestQueueTimeout;
	}

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

	/**
	 * Platform workers started with the server and kept when idle, as Tomcat's server.tomcat.threads.min-spare; more,
	 * up to server.hybrid.workers, are started when requests wait and no worker is idle. Capped at
	 * server.hybrid.workers.
	 */
	private int minSpareWorkers = 10;

	/**
	 * How long a platform worker beyond server.hybrid.min-spare-workers may find no work before its thread ends.
	 */
	private Duration workerIdleTimeout = Duration.ofSeconds(60);

	public int getMinSpareWorkers() {
		return this.minSpareWorkers;
	}

	public void setMinSpareWorkers(int minSpareWorkers) {
		this.minSpareWorkers = minSpareWorkers;
	}

	public Duration getWorkerIdleTimeout() {
		return this.workerIdleTimeout;
	}

	public void setWorkerIdleTimeout(Duration workerIdleTimeout) {
		this.workerIdleTimeout = workerIdleTimeout;
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

	public DataSize getMaxRequestLineLength() {
		return this.maxRequestLineLength;
	}

	public void setMaxRequestLineLength(DataSize maxRequestLineLength) {
		this.maxRequestLineLength = maxRequestLineLength;
	}

	public DataSize getRequestBodyBufferSize() {
		return this.requestBodyBufferSize;
	}

	public void setRequestBodyBufferSize(DataSize requestBodyBufferSize) {
		this.requestBodyBufferSize = requestBodyBufferSize;
	}

	public DataSize getMaxRequestBodyBufferSize() {
		return this.maxRequestBodyBufferSize;
	}

	public void setMaxRequestBodyBufferSize(DataSize maxRequestBodyBufferSize) {
		this.maxRequestBodyBufferSize = maxRequestBodyBufferSize;
	}

	public DataSize getRequestBodyBufferBudget() {
		return this.requestBodyBufferBudget;
	}

	public void setRequestBodyBufferBudget(DataSize requestBodyBufferBudget) {
		this.requestBodyBufferBudget = requestBodyBufferBudget;
	}

	public DataSize getResponseBufferSize() {
		return this.responseBufferSize;
	}

	public void setResponseBufferSize(DataSize responseBufferSize) {
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

		/**
		 * How often the key that encrypts TLS session tickets is replaced (BoringSSL only; the JDK's engine rotates its
		 * own every hour). The previous key still decrypts for one more period, so a ticket resumes for at least this
		 * long and a key is destroyed at most twice this long after it began to encrypt.
		 */
		private Duration sessionTicketKeyRotation = Duration.ofHours(1);

		public Duration getSessionTicketKeyRotation() {
			return this.sessionTicketKeyRotation;
		}

		public void setSessionTicketKeyRotation(Duration sessionTicketKeyRotation) {
			this.sessionTicketKeyRotation = sessionTicketKeyRotation;
		}

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

		/**
		 * Where WebFlux WebSocket handlers run and their sessions' signals (messages, demand, completed sends) are
		 * delivered: workers or event-loop (on the connection's I/O thread with no hand-off, as Reactor Netty runs
		 * them: fastest, for handlers that never block). Unset, it follows dispatch. workers needs dispatch=workers.
		 */
		private ReactiveDispatchMode websocketDispatch;

		public ReactiveDispatchMode getWebsocketDispatch() {
			return this.websocketDispatch;
		}

		public void setWebsocketDispatch(ReactiveDispatchMode websocketDispatch) {
			this.websocketDispatch = websocketDispatch;
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

	// ---- Tomcat's limits that users carry over (issue 19) ----------------------------------------------------------

	/**
	 * Largest application/x-www-form-urlencoded body read for request parameters; a larger one is answered 413. -1B
	 * for no limit. Like server.tomcat.max-http-form-post-size. Servlet applications only.
	 */
	private DataSize maxFormPostSize = DataSize.ofMegabytes(2);

	/**
	 * Request parameters (query string and form body together) accepted; more are answered 400. -1 for no limit. A
	 * bound against hash flooding, like server.tomcat.max-parameter-count. Servlet applications only.
	 */
	private int maxParameterCount = 1000;

	/**
	 * Largest header block of one part of a multipart request; a larger one is answered 400. Like
	 * server.tomcat.max-part-header-size, whose default is 512B: ours leaves room for long UTF-8 file names. Servlet
	 * applications only.
	 */
	private DataSize maxPartHeaderSize = DataSize.ofKilobytes(4);

	/**
	 * Largest header section a response may have (names, values, 4 bytes per field); a response with more is
	 * replaced by an empty 500 and a warning is logged. Like server.tomcat.max-http-response-header-size.
	 */
	private DataSize maxResponseHeaderSize = DataSize.ofKilobytes(8);

	/**
	 * Connections the operating system queues, completed but not yet accepted, while the server is busy or at
	 * max-connections (the listen backlog; Linux caps it at net.core.somaxconn). Like server.tomcat.accept-count, whose
	 * default is 100: ours, Netty's own default on current Linux, absorbs a burst of a few thousand new connections.
	 */
	private int acceptBacklog = 4096;

	public DataSize getMaxFormPostSize() {
		return this.maxFormPostSize;
	}

	public void setMaxFormPostSize(DataSize maxFormPostSize) {
		this.maxFormPostSize = maxFormPostSize;
	}

	public int getMaxParameterCount() {
		return this.maxParameterCount;
	}

	public void setMaxParameterCount(int maxParameterCount) {
		this.maxParameterCount = maxParameterCount;
	}

	public DataSize getMaxPartHeaderSize() {
		return this.maxPartHeaderSize;
	}

	public void setMaxPartHeaderSize(DataSize maxPartHeaderSize) {
		this.maxPartHeaderSize = maxPartHeaderSize;
	}

	public DataSize getMaxResponseHeaderSize() {
		return this.maxResponseHeaderSize;
	}

	public void setMaxResponseHeaderSize(DataSize maxResponseHeaderSize) {
		this.maxResponseHeaderSize = maxResponseHeaderSize;
	}

	public int getAcceptBacklog() {
		return this.acceptBacklog;
	}

	public void setAcceptBacklog(int acceptBacklog) {
		this.acceptBacklog = acceptBacklog;
	}

	// ---- the servlet container behaving as Tomcat does (issue 19) ------------------------------------------------

	/**
	 * Whether a request for the context path itself ({@code /api}) is redirected with 302 to the context root
	 * ({@code /api/}), as Tomcat does ({@code server.tomcat.redirect-context-root}); when off the request reaches the application as it came.
	 */
	private boolean redirectContextRoot = true;

	/**
	 * Whether a query or form parameter whose name or value is not valid in the request's charset (invalid UTF-8,
	 * a malformed {@code %} escape) or whose name is empty is answered with 400, as Tomcat does; when off it is kept
	 * with replacement characters, an empty name as the empty string.
	 */
	private boolean rejectInvalidParameters = true;

	public boolean isRedirectContextRoot() {
		return this.redirectContextRoot;
	}

	public void setRedirectContextRoot(boolean redirectContextRoot) {
		this.redirectContextRoot = redirectContextRoot;
	}

	public boolean isRejectInvalidParameters() {
		return this.rejectInvalidParameters;
	}

	public void setRejectInvalidParameters(boolean rejectInvalidParameters) {
		this.rejectInvalidParameters = rejectInvalidParameters;
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

		/**
		 * Header the proxies put the client's address in: a chain (X-Forwarded-For) or one address (X-Real-IP,
		 * CF-Connecting-IP, True-Client-IP). RFC 7239 Forwarded is read first only while this is X-Forwarded-For.
		 */
		private String remoteIpHeader = "X-Forwarded-For";

		/** Header the proxies put the client's protocol in; empty to read none. */
		private String protocolHeader = "X-Forwarded-Proto";

		/** Value of the protocol header that means https (ignoring case); any other value means http. */
		private String protocolHeaderHttpsValue = "https";

		/** Header the proxies put the host the client asked for in; empty to read none. */
		private String hostHeader = "X-Forwarded-Host";

		/** Header the proxies put the port the client connected to in; empty to read none. */
		private String portHeader = "X-Forwarded-Port";

		public String getRemoteIpHeader() {
			return this.remoteIpHeader;
		}

		public void setRemoteIpHeader(String remoteIpHeader) {
			this.remoteIpHeader = remoteIpHeader;
		}

		public String getProtocolHeader() {
			return this.protocolHeader;
		}

		public void setProtocolHeader(String protocolHeader) {
			this.protocolHeader = protocolHeader;
		}

		public String getProtocolHeaderHttpsValue() {
			return this.protocolHeaderHttpsValue;
		}

		public void setProtocolHeaderHttpsValue(String protocolHeaderHttpsValue) {
			this.protocolHeaderHttpsValue = protocolHeaderHttpsValue;
		}

		public String getHostHeader() {
			return this.hostHeader;
		}

		public void setHostHeader(String hostHeader) {
			this.hostHeader = hostHeader;
		}

		public String getPortHeader() {
			return this.portHeader;
		}

		public void setPortHeader(String portHeader) {
			this.portHeader = portHeader;
		}

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
		private DataSize initialWindowSize = DataSize.ofBytes(65_535);

		/**
		 * Largest frame payload accepted (SETTINGS_MAX_FRAME_SIZE, 16384 to 16777215).
		 */
		private DataSize maxFrameSize = DataSize.ofBytes(16_384);

		/**
		 * Largest request header list, uncompressed, counted as RFC 9113 counts it (names, values and 32 bytes per
		 * field) (SETTINGS_MAX_HEADER_LIST_SIZE). A larger one is answered 431. When not set,
		 * server.max-http-request-header-size (8 KB by default), as Tomcat does.
		 */
		private DataSize maxHeaderListSize;

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

		public DataSize getInitialWindowSize() {
			return this.initialWindowSize;
		}

		public void setInitialWindowSize(DataSize initialWindowSize) {
			this.initialWindowSize = initialWindowSize;
		}

		public DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public DataSize getMaxHeaderListSize() {
			return this.maxHeaderListSize;
		}

		public void setMaxHeaderListSize(DataSize maxHeaderListSize) {
			this.maxHeaderListSize = maxHeaderListSize;
		}

	}

	// ---- access log ---------------------------------------------------------------------------------------------

	/**
	 * The access log, under {@code server.hybrid.accesslog}: Tomcat's server.tomcat.accesslog properties, names and
	 * defaults alike, plus an output to a logging category.
	 */
	private final Http3 http3 = new Http3();

	public Http3 getHttp3() {
		return this.http3;
	}

	/**
	 * HTTP/3 over QUIC ({@code server.hybrid.http3.*}): a UDP listener beside the TLS port, advertised with Alt-Svc.
	 */
	public static class Http3 {

		/**
		 * Whether to serve HTTP/3 (QUIC) on a UDP port beside the TLS port, with the same certificate, and advertise it
		 * with Alt-Svc on HTTP/1.1 and HTTP/2 responses. Needs server.ssl (or an SSL bundle).
		 */
		private boolean enabled = false;

		/**
		 * UDP port of the QUIC listener. When not set, the TLS port's number (server.port), as browsers expect.
		 */
		private Integer port;

		/**
		 * Request streams a client may have open at once on a connection (QUIC initial_max_streams_bidi). A client
		 * cannot open more until one ends.
		 */
		private int maxStreams = 100;

		/**
		 * Time a QUIC connection may stay idle before it is closed (max_idle_timeout).
		 */
		private Duration idleTimeout = Duration.ofSeconds(30);

		/**
		 * Request body bytes a client may send on one stream before the application reads them
		 * (initial_max_stream_data): the per-stream bound on unread request bodies.
		 */
		private DataSize initialMaxStreamData = DataSize.ofKilobytes(256);

		/**
		 * Bytes a client may send on a connection before the server reads them (initial_max_data). When not set,
		 * max-streams times initial-max-stream-data, so that bodies waiting for a worker never hold back others.
		 */
		private DataSize initialMaxData;

		/**
		 * Largest UDP payload sent and accepted (max_udp_payload_size, 1200 to 65527 bytes). 1350 fits common paths
		 * without fragmentation.
		 */
		private DataSize maxUdpPayloadSize = DataSize.ofBytes(1350);

		/**
		 * QPACK dynamic table capacity the client's encoder may use (SETTINGS_QPACK_MAX_TABLE_CAPACITY). 0, the
		 * default, allows the static table only: no per-connection table to hold, no stream blocked on it.
		 */
		private DataSize qpackMaxTableCapacity = DataSize.ofBytes(0);

		/**
		 * Request streams that may wait for QPACK dynamic table updates at once (SETTINGS_QPACK_BLOCKED_STREAMS);
		 * 0 to max-streams.
		 */
		private int qpackBlockedStreams = 0;

		/**
		 * Whether to accept 0-RTT early data from resuming clients. Off by default: early data can be replayed by an
		 * attacker, so a non-idempotent request (a POST) could run twice. Turn on only if the application tolerates
		 * replays.
		 */
		private boolean earlyData = false;

		/**
		 * Whether to bind one UDP socket per I/O thread with SO_REUSEPORT, so that QUIC connections are spread over
		 * every event loop instead of all sharing one. Packets are steered to the socket that owns their connection by
		 * an index in the server's connection ids. Needs the epoll or io-uring transport (Linux).
		 */
		private boolean reusePort = false;

		public boolean isReusePort() {
			return this.reusePort;
		}

		public void setReusePort(boolean reusePort) {
			this.reusePort = reusePort;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Integer getPort() {
			return this.port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

		public int getMaxStreams() {
			return this.maxStreams;
		}

		public void setMaxStreams(int maxStreams) {
			this.maxStreams = maxStreams;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public DataSize getInitialMaxStreamData() {
			return this.initialMaxStreamData;
		}

		public void setInitialMaxStreamData(DataSize initialMaxStreamData) {
			this.initialMaxStreamData = initialMaxStreamData;
		}

		public DataSize getInitialMaxData() {
			return this.initialMaxData;
		}

		public void setInitialMaxData(DataSize initialMaxData) {
			this.initialMaxData = initialMaxData;
		}

		public DataSize getMaxUdpPayloadSize() {
			return this.maxUdpPayloadSize;
		}

		public void setMaxUdpPayloadSize(DataSize maxUdpPayloadSize) {
			this.maxUdpPayloadSize = maxUdpPayloadSize;
		}

		public DataSize getQpackMaxTableCapacity() {
			return this.qpackMaxTableCapacity;
		}

		public void setQpackMaxTableCapacity(DataSize qpackMaxTableCapacity) {
			this.qpackMaxTableCapacity = qpackMaxTableCapacity;
		}

		public int getQpackBlockedStreams() {
			return this.qpackBlockedStreams;
		}

		public void setQpackBlockedStreams(int qpackBlockedStreams) {
			this.qpackBlockedStreams = qpackBlockedStreams;
		}

		public boolean isEarlyData() {
			return this.earlyData;
		}

		public void setEarlyData(boolean earlyData) {
			this.earlyData = earlyData;
		}

	}

	private final Accesslog accesslog = new Accesslog();

	public Accesslog getAccesslog() {
		return this.accesslog;
	}

	/**
	 * The access log, under {@code server.hybrid.accesslog}.
	 */
	public static class Accesslog {

		/**
		 * Whether to write an access log: one line per request answered by the application tier.
		 */
		private boolean enabled = false;

		/**
		 * Format of each line: 'common', 'combined', or Tomcat's %-codes (%h %a %A %l %u %t %r %m %U %q %H %s %b %B
		 * %D %T %F %I %X %p %v %S %{Name}i %{Name}o %{name}c %{format}t %{ms}T). An unknown code fails startup.
		 */
		private String pattern = "common";

		/**
		 * Where lines go: 'file' (files under directory, rotated daily) or 'log' (INFO events of the log-category
		 * logging category, for applications that log to standard output).
		 */
		private AccessLogSettings.Output output = AccessLogSettings.Output.FILE;

		/**
		 * Logging category of the lines when output=log.
		 */
		private String logCategory = "io.hybridserver.accesslog";

		/**
		 * Directory of the log files. A relative path is resolved against the working directory (Tomcat's is
		 * resolved against its base directory, a temporary one unless server.tomcat.basedir is set).
		 */
		private String directory = "logs";

		/**
		 * Log file name prefix.
		 */
		private String prefix = "access_log";

		/**
		 * Log file name suffix.
		 */
		private String suffix = ".log";

		/**
		 * Date format placed between prefix and suffix (java.time pattern); a new file starts when it changes.
		 */
		private String fileDateFormat = ".yyyy-MM-dd";

		/**
		 * Whether to date and rotate the files. Without it, one file named prefix + suffix.
		 */
		private boolean rotate = true;

		/**
		 * Days to keep rotated files before deleting them, judged by the date in their names. -1 keeps them all.
		 */
		private int maxDays = -1;

		/**
		 * Whether to buffer lines and flush them when no more are waiting, rather than flush every line.
		 */
		private boolean buffered = true;

		/**
		 * Character encoding of the files.
		 */
		private String encoding = "UTF-8";

		/**
		 * Lines that may wait for the writer thread. When it is full, lines are dropped and counted
		 * (hybrid.server.accesslog.lines.dropped) rather than slowing requests down. Rounded up to a power of two.
		 */
		private int queueCapacity = 16_384;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPattern() {
			return this.pattern;
		}

		public void setPattern(String pattern) {
			this.pattern = pattern;
		}

		public AccessLogSettings.Output getOutput() {
			return this.output;
		}

		public void setOutput(AccessLogSettings.Output output) {
			this.output = output;
		}

		public String getLogCategory() {
			return this.logCategory;
		}

		public void setLogCategory(String logCategory) {
			this.logCategory = logCategory;
		}

		public String getDirectory() {
			return this.directory;
		}

		public void setDirectory(String directory) {
			this.directory = directory;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public String getSuffix() {
			return this.suffix;
		}

		public void setSuffix(String suffix) {
			this.suffix = suffix;
		}

		public String getFileDateFormat() {
			return this.fileDateFormat;
		}

		public void setFileDateFormat(String fileDateFormat) {
			this.fileDateFormat = fileDateFormat;
		}

		public boolean isRotate() {
			return this.rotate;
		}

		public void setRotate(boolean rotate) {
			this.rotate = rotate;
		}

		public int getMaxDays() {
			return this.maxDays;
		}

		public void setMaxDays(int maxDays) {
			this.maxDays = maxDays;
		}

		public boolean isBuffered() {
			return this.buffered;
		}

		public void setBuffered(boolean buffered) {
			this.buffered = buffered;
		}

		public String getEncoding() {
			return this.encoding;
		}

		public void setEncoding(String encoding) {
			this.encoding = encoding;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		// ---- the access log, completed (issue 17): remote-IP handling, size rotation and history

		/**
		 * Whether %a and %h print the client address a trusted proxy reported in forwarding headers
		 * (server.forward-headers-strategy=native, servlet applications) rather than the TCP peer, as Tomcat's
		 * request-attributes-enabled. The PROXY protocol's client address is printed either way.
		 */
		private boolean requestAttributesEnabled = false;

		/**
		 * Size at which a log file is closed and the next one of the same date begins (prefix + date + '.1' + suffix,
		 * then '.2'...); unset for no limit. At least 1KB.
		 */
		private DataSize maxFileSize;

		/**
		 * Number of log files kept besides the one being written, oldest (by the date in their name, then their
		 * number) deleted first, at startup and at each rotation; -1 to keep every file. Applies with max-days.
		 */
		private int maxHistory = -1;

		public boolean isRequestAttributesEnabled() {
			return this.requestAttributesEnabled;
		}

		public void setRequestAttributesEnabled(boolean requestAttributesEnabled) {
			this.requestAttributesEnabled = requestAttributesEnabled;
		}

		public DataSize getMaxFileSize() {
			return this.maxFileSize;
		}

		public void setMaxFileSize(DataSize maxFileSize) {
			this.maxFileSize = maxFileSize;
		}

		public int getMaxHistory() {
			return this.maxHistory;
		}

		public void setMaxHistory(int maxHistory) {
			this.maxHistory = maxHistory;
		}

	}

	// ---- listeners (issue 16) -------------------------------------------------------------------------------------

	/**
	 * Listeners beside the primary port (server.port): more TCP ports or Unix domain sockets, each in clear text or
	 * TLS with its own SSL bundle, optionally reading the PROXY protocol, or redirecting to HTTPS. They share the
	 * primary port's event loops, request queue and workers.
	 */
	private final List<Listener> additionalListeners = new ArrayList<>();

	/** PROXY protocol on the primary port (server.port). */
	private final ProxyProtocol proxyProtocol = new ProxyProtocol();

	/** Clear text beside TLS on the primary port (server.port), told apart by each connection's first bytes. */
	private final ProtocolDetection protocolDetection = new ProtocolDetection();

	/**
	 * Whether each TCP listener binds one socket per I/O thread with SO_REUSEPORT, so the kernel spreads new
	 * connections over the event loops. Needs the epoll or io-uring transport; startup fails on another.
	 */
	private boolean reusePort;

	public List<Listener> getAdditionalListeners() {
		return this.additionalListeners;
	}

	public boolean isReusePort() {
		return this.reusePort;
	}

	public void setReusePort(boolean reusePort) {
		this.reusePort = reusePort;
	}

	public ProxyProtocol getProxyProtocol() {
		return this.proxyProtocol;
	}

	public ProtocolDetection getProtocolDetection() {
		return this.protocolDetection;
	}

	/** One additional listener: a TCP port or a Unix domain socket. */
	public static class Listener {

		/** Name of the listener in logs and messages; defaults to listener-N. */
		private String name;

		/** TCP port to listen on (0 for any free one). Exactly one of port and unix-socket must be set. */
		private Integer port;

		/** Address to bind the TCP port to; all addresses when unset. */
		private InetAddress address;

		/** Path of a Unix domain socket file to listen on. Exactly one of port and unix-socket must be set. */
		private String unixSocket;

		/**
		 * Permissions of the Unix socket file, as "rw-rw----" or "660"; the process's umask decides when unset.
		 * Only processes that may write the file can connect.
		 */
		private String unixSocketPermissions;

		/** Whether the listener answers every request with a redirect to the same path on the HTTPS port. */
		private boolean redirectToHttps;

		/** TLS on this listener. */
		private final ListenerSsl ssl = new ListenerSsl();

		/** PROXY protocol on this listener. */
		private final ProxyProtocol proxyProtocol = new ProxyProtocol();

		/** Clear text beside TLS on this listener, told apart by each connection's first bytes. */
		private final ProtocolDetection protocolDetection = new ProtocolDetection();

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public Integer getPort() {
			return this.port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

		public InetAddress getAddress() {
			return this.address;
		}

		public void setAddress(InetAddress address) {
			this.address = address;
		}

		public String getUnixSocket() {
			return this.unixSocket;
		}

		public void setUnixSocket(String unixSocket) {
			this.unixSocket = unixSocket;
		}

		public String getUnixSocketPermissions() {
			return this.unixSocketPermissions;
		}

		public void setUnixSocketPermissions(String unixSocketPermissions) {
			this.unixSocketPermissions = unixSocketPermissions;
		}

		public boolean isRedirectToHttps() {
			return this.redirectToHttps;
		}

		public void setRedirectToHttps(boolean redirectToHttps) {
			this.redirectToHttps = redirectToHttps;
		}

		public ListenerSsl getSsl() {
			return this.ssl;
		}

		public ProxyProtocol getProxyProtocol() {
			return this.proxyProtocol;
		}

		public ProtocolDetection getProtocolDetection() {
			return this.protocolDetection;
		}

	}

	/** TLS of one additional listener. */
	public static class ListenerSsl {

		/** Whether the listener serves TLS. Naming a bundle turns it on. */
		private boolean enabled;

		/** SSL bundle (spring.ssl.bundle.*) of the listener; the primary port's server.ssl when unset. */
		private String bundle;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

	/** How a listener reads the PROXY protocol (v1 and v2) that HAProxy and L4 load balancers send. */
	public static class ProxyProtocol {

		/**
		 * off (no header is read), optional (a header is used when the connection starts with one) or required
		 * (a connection without one is closed).
		 */
		private ProxyProtocolMode mode = ProxyProtocolMode.OFF;

		/**
		 * Addresses or CIDR blocks (10.0.0.0/8, fd00::/8) of the proxies that may send a header; a header from any
		 * other peer closes the connection. Every peer when empty: only safe when nothing else can reach the listener.
		 */
		private List<String> trustedSources = new ArrayList<>();

		/** How long the header may take to arrive in full before the connection is closed. */
		private Duration headerTimeout = ProxyProtocolSettings.DEFAULT_HEADER_TIMEOUT;

		public ProxyProtocolMode getMode() {
			return this.mode;
		}

		public void setMode(ProxyProtocolMode mode) {
			this.mode = mode;
		}

		public List<String> getTrustedSources() {
			return this.trustedSources;
		}

		public void setTrustedSources(List<String> trustedSources) {
			this.trustedSources = trustedSources;
		}

		public Duration getHeaderTimeout() {
			return this.headerTimeout;
		}

		public void setHeaderTimeout(Duration headerTimeout) {
			this.headerTimeout = headerTimeout;
		}

	}

	/**
	 * One port for TLS and clear text: a TLS listener that looks at each connection's first bytes and serves a TLS
	 * ClientHello over TLS (h2 by ALPN), an HTTP/1.x request line or the HTTP/2 preface in clear text.
	 */
	public static class ProtocolDetection {

		/**
		 * Whether the TLS listener also serves clear text (HTTP/1.1, and h2c with server.http2.enabled), told apart by
		 * each connection's first bytes. Needs TLS on the listener. Off, clear-text HTTP on a TLS port gets a 400.
		 */
		private boolean enabled;

		/**
		 * How long a new connection may take to send enough bytes to tell TLS from clear text (a few); then it is
		 * closed and counted as protocol-detection.
		 */
		private Duration timeout = ProtocolDetectionSettings.DEFAULT_TIMEOUT;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
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
		private DataSize maxFrameSize = DataSize.ofKilobytes(64);

		/**
		 * Largest message delivered whole, in bytes (the default of setMaxTextMessageBufferSize and
		 * setMaxBinaryMessageBufferSize); a bigger message closes the session with 1009.
		 */
		private DataSize maxMessageSize = DataSize.ofKilobytes(64);

		/** How long a session may stay without a frame either way before it is closed with 1001; 0: no limit. */
		private Duration idleTimeout = Duration.ZERO;

		/** Most WebSocket sessions open at once; an upgrade beyond it is answered 503. 0: no limit. */
		private int maxSessions;

		/**
		 * Bytes sent and not yet taken by the client, per session, above which asynchronous sends fail at once and
		 * blocking sends wait.
		 */
		private DataSize sendBufferSize = DataSize.ofMegabytes(1);

		/** How long a send may wait for the client before it fails and the connection closes. */
		private Duration sendTimeout = Duration.ofSeconds(20);

		/** How long to wait for the client's close frame after the server's before closing the connection. */
		private Duration closeTimeout = Duration.ofSeconds(5);

		public DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
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

		public DataSize getSendBufferSize() {
			return this.sendBufferSize;
		}

		public void setSendBufferSize(DataSize sendBufferSize) {
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
