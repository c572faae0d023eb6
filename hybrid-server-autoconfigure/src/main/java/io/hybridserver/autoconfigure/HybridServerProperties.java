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

}
