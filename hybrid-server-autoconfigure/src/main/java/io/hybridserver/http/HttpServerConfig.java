package io.hybridserver.http;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every knob of the HTTP layer in one object. Defaults follow what Tomcat users expect; the Spring Boot integration
 * copies {@code server.*} and {@code server.hybrid.*} properties into it.
 */
public final class HttpServerConfig {

	private int maxRequestLineLength = 8 * 1024;

	private int maxHeaderSize = 8 * 1024;

	private int maxChunkSize = 64 * 1024;

	private int maxResponseHeaderSize = 8 * 1024;

	private Duration connectionTimeout = Duration.ofSeconds(20);

	private Duration keepAliveTimeout = Duration.ofSeconds(20);

	private int maxKeepAliveRequests = 1000;

	private int maxPipelinedRequests = 16;

	private int requestBodyBufferSize = 64 * 1024;

	private int maxRequestBodyBufferSize = 1024 * 1024;

	private long requestBodyBufferBudget = 64L * 1024 * 1024;

	/** The allowance made from {@link #requestBodyBufferBudget}: one for the whole server. */
	private RequestBodyBudget requestBodyBudget = new RequestBodyBudget(this.requestBodyBufferBudget);

	private int responseHighWaterMark = 64 * 1024;

	private Duration retryAfter = Duration.ofSeconds(1);

	private Duration requestQueueTimeout = Duration.ofSeconds(10);

	private String serverHeader;

	private volatile String altSvc;

	private boolean allowTrace;

	private long minRequestBodyRate = 240;

	private Duration minRequestBodyRateGrace = Duration.ofSeconds(5);

	/** Longest request line accepted; a longer one is answered 414. */
	public int getMaxRequestLineLength() {
		return this.maxRequestLineLength;
	}

	public HttpServerConfig setMaxRequestLineLength(int maxRequestLineLength) {
		this.maxRequestLineLength = positive("maxRequestLineLength", maxRequestLineLength);
		return this;
	}

	/** Largest header section accepted (all field lines together); a larger one is answered 431. */
	public int getMaxHeaderSize() {
		return this.maxHeaderSize;
	}

	public HttpServerConfig setMaxHeaderSize(int maxHeaderSize) {
		this.maxHeaderSize = positive("maxHeaderSize", maxHeaderSize);
		return this;
	}

	/**
	 * Largest response header section a response may commit, counted as HTTP/1.1 encodes it (name, value and 4 bytes of
	 * separators per field). A larger one is replaced by an empty {@code 500}, as Tomcat's
	 * {@code maxHttpResponseHeaderSize} does: headers grown without bound (cookies, CSP) would otherwise be sent to
	 * clients and proxies that refuse them.
	 */
	public int getMaxResponseHeaderSize() {
		return this.maxResponseHeaderSize;
	}

	public HttpServerConfig setMaxResponseHeaderSize(int maxResponseHeaderSize) {
		this.maxResponseHeaderSize = positive("maxResponseHeaderSize", maxResponseHeaderSize);
		return this;
	}

	/**
	 * Largest piece of request body the decoder hands over at once. The pieces are slices of the buffer a socket read
	 * filled, not copies, so a smaller piece saves no memory: it only makes more pieces (a message, a queue node and a
	 * slice each) of one read. The default is the largest read the connection makes (64 KiB), so that one read is one
	 * piece.
	 */
	public int getMaxChunkSize() {
		return this.maxChunkSize;
	}

	public HttpServerConfig setMaxChunkSize(int maxChunkSize) {
		this.maxChunkSize = positive("maxChunkSize", maxChunkSize);
		return this;
	}

	/**
	 * How long a client has to send a complete request head once it started one (or once it connected), and the longest
	 * wait for the next piece of a request body or for a slow reader to take response bytes. Past it: 408 and close.
	 */
	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public HttpServerConfig setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = positive("connectionTimeout", connectionTimeout);
		return this;
	}

	/** How long an idle keep-alive connection stays open waiting for its next request. */
	public Duration getKeepAliveTimeout() {
		return this.keepAliveTimeout;
	}

	public HttpServerConfig setKeepAliveTimeout(Duration keepAliveTimeout) {
		this.keepAliveTimeout = positive("keepAliveTimeout", keepAliveTimeout);
		return this;
	}

	/** Requests served on one connection before it is closed; below 1 means no limit. */
	public int getMaxKeepAliveRequests() {
		return this.maxKeepAliveRequests;
	}

	public HttpServerConfig setMaxKeepAliveRequests(int maxKeepAliveRequests) {
		this.maxKeepAliveRequests = maxKeepAliveRequests;
		return this;
	}

	/**
	 * Requests one connection may have waiting for their turn (pipelining). Beyond it the server stops reading; requests
	 * already decoded past the bound are not answered and the connection closes after the last answered one, which
	 * RFC 9112 section 9.3.2 tells pipelining clients to expect and retry.
	 */
	public int getMaxPipelinedRequests() {
		return this.maxPipelinedRequests;
	}

	public HttpServerConfig setMaxPipelinedRequests(int maxPipelinedRequests) {
		this.maxPipelinedRequests = positive("maxPipelinedRequests", maxPipelinedRequests);
		return this;
	}

	/** Request body bytes held for a worker before the connection stops reading. */
	public int getRequestBodyBufferSize() {
		return this.requestBodyBufferSize;
	}

	public HttpServerConfig setRequestBodyBufferSize(int requestBodyBufferSize) {
		this.requestBodyBufferSize = positive("requestBodyBufferSize", requestBodyBufferSize);
		return this;
	}

	/**
	 * The most request body bytes one HTTP/1.1 body may hold when it streams in faster than it is read, within the
	 * server-wide {@linkplain #getRequestBodyBufferBudget() budget}; never less than
	 * {@link #getRequestBodyBufferSize()}.
	 */
	public int getMaxRequestBodyBufferSize() {
		return Math.max(this.maxRequestBodyBufferSize, this.requestBodyBufferSize);
	}

	public HttpServerConfig setMaxRequestBodyBufferSize(int maxRequestBodyBufferSize) {
		this.maxRequestBodyBufferSize = positive("maxRequestBodyBufferSize", maxRequestBodyBufferSize);
		return this;
	}

	/** Bytes all request bodies together may hold past {@link #getRequestBodyBufferSize()}; 0 lets none grow. */
	public long getRequestBodyBufferBudget() {
		return this.requestBodyBufferBudget;
	}

	public HttpServerConfig setRequestBodyBufferBudget(long requestBodyBufferBudget) {
		if (requestBodyBufferBudget < 0) {
			throw new IllegalArgumentException(
					"requestBodyBufferBudget must not be negative, was " + requestBodyBufferBudget);
		}
		this.requestBodyBufferBudget = requestBodyBufferBudget;
		this.requestBodyBudget = new RequestBodyBudget(requestBodyBufferBudget);
		return this;
	}

	/**
	 * The server-wide allowance made from {@link #getRequestBodyBufferBudget()}: the same object for every connection
	 * (settings are fixed before the server starts).
	 */
	public RequestBodyBudget requestBodyBudget() {
		return this.requestBodyBudget;
	}

	/** Response bytes written by a worker but not yet taken by the socket, past which the worker waits. */
	public int getResponseHighWaterMark() {
		return this.responseHighWaterMark;
	}

	public HttpServerConfig setResponseHighWaterMark(int responseHighWaterMark) {
		this.responseHighWaterMark = positive("responseHighWaterMark", responseHighWaterMark);
		return this;
	}

	/** The {@code Retry-After} sent with a 503 when the server is overloaded. */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	public HttpServerConfig setRetryAfter(Duration retryAfter) {
		this.retryAfter = retryAfter;
		return this;
	}

	/**
	 * How long a request that finds the request queue full may wait, decoded on its event loop, for room before it is
	 * answered 503; zero refuses it at once.
	 */
	public Duration getRequestQueueTimeout() {
		return this.requestQueueTimeout;
	}

	public HttpServerConfig setRequestQueueTimeout(Duration requestQueueTimeout) {
		if (requestQueueTimeout == null || requestQueueTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"requestQueueTimeout must be 0 (refuse at once when the request queue is full) or a positive duration "
							+ "such as 10s, was " + ((requestQueueTimeout != null) ? DurationText.of(requestQueueTimeout)
									: null));
		}
		this.requestQueueTimeout = requestQueueTimeout;
		return this;
	}

	/** The {@code Server} header, or {@code null} for none (the default: it tells attackers what to try). */
	public String getServerHeader() {
		return this.serverHeader;
	}

	public HttpServerConfig setServerHeader(String serverHeader) {
		this.serverHeader = (serverHeader == null || serverHeader.isBlank()) ? null : serverHeader;
		return this;
	}

	/**
	 * The {@code Alt-Svc} field value that advertises HTTP/3 on TLS responses over HTTP/1.1 and HTTP/2, or
	 * {@code null} while no QUIC listener runs. Set once that listener is bound (its port is known only then).
	 */
	public String getAltSvc() {
		return this.altSvc;
	}

	public HttpServerConfig setAltSvc(String altSvc) {
		this.altSvc = altSvc;
		return this;
	}

	/**
	 * Whether TRACE requests reach the application. Off by default, as in Tomcat: the server answers them 405 itself,
	 * because an echo of the request (cookies and authorization included) helps cross-site tracing and tells an
	 * attacker what the proxies in front added.
	 */
	public boolean isAllowTrace() {
		return this.allowTrace;
	}

	public HttpServerConfig setAllowTrace(boolean allowTrace) {
		this.allowTrace = allowTrace;
		return this;
	}

	/**
	 * The slowest a request body may arrive, in bytes per second, averaged from its start over the time the server was
	 * reading it (time spent waiting for the application to consume does not count); 0 for no minimum. A slower body
	 * is answered 408 by the I/O tier while it waits there for dispatch, or fails the application's read once a worker
	 * has it; the connection closes.
	 */
	public long getMinRequestBodyRate() {
		return this.minRequestBodyRate;
	}

	public HttpServerConfig setMinRequestBodyRate(long minRequestBodyRate) {
		if (minRequestBodyRate < 0) {
			throw new IllegalArgumentException("minRequestBodyRate must be 0 (no minimum) or more, was "
					+ minRequestBodyRate);
		}
		this.minRequestBodyRate = minRequestBodyRate;
		return this;
	}

	/** How long a request body may arrive more slowly than {@link #getMinRequestBodyRate()} before it is cut. */
	public Duration getMinRequestBodyRateGrace() {
		return this.minRequestBodyRateGrace;
	}

	public HttpServerConfig setMinRequestBodyRateGrace(Duration minRequestBodyRateGrace) {
		this.minRequestBodyRateGrace = positive("minRequestBodyRateGrace", minRequestBodyRateGrace);
		return this;
	}

	/**
	 * Every setting by its name (the getter's, without get/is), durations as ISO-8601 text: what the Actuator endpoint
	 * shows, kept here beside the fields so that a new setting cannot be missing there (a test compares the keys
	 * with the getters). Sizes are bytes; {@code responseBufferSize} is {@link #getResponseHighWaterMark()}, under the
	 * name of its property.
	 */
	public Map<String, Object> describe() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("connectionTimeout", this.connectionTimeout.toString());
		settings.put("keepAliveTimeout", this.keepAliveTimeout.toString());
		settings.put("maxKeepAliveRequests", this.maxKeepAliveRequests);
		settings.put("maxPipelinedRequests", this.maxPipelinedRequests);
		settings.put("maxRequestLineLength", this.maxRequestLineLength);
		settings.put("maxHeaderSize", this.maxHeaderSize);
		settings.put("maxResponseHeaderSize", this.maxResponseHeaderSize);
		settings.put("maxChunkSize", this.maxChunkSize);
		settings.put("requestBodyBufferSize", this.requestBodyBufferSize);
		settings.put("maxRequestBodyBufferSize", getMaxRequestBodyBufferSize());
		settings.put("requestBodyBufferBudget", this.requestBodyBufferBudget);
		settings.put("responseBufferSize", this.responseHighWaterMark);
		settings.put("minRequestBodyRate", this.minRequestBodyRate);
		settings.put("minRequestBodyRateGrace", this.minRequestBodyRateGrace.toString());
		settings.put("retryAfter", this.retryAfter.toString());
		settings.put("requestQueueTimeout", this.requestQueueTimeout.toString());
		settings.put("allowTrace", this.allowTrace);
		settings.put("serverHeader", this.serverHeader);
		settings.put("altSvc", this.altSvc);
		return Collections.unmodifiableMap(settings);
	}

	private static int positive(String name, int value) {
		if (value <= 0) {
			throw new IllegalArgumentException(name + " must be positive, was " + value);
		}
		return value;
	}

	private static Duration positive(String name, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(name + " must be a positive duration, was " + DurationText.of(value));
		}
		return value;
	}

}
