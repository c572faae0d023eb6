package io.hybridserver.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Counters the HTTP layer keeps for the metrics binder: cheap striped adders on the hot path, read only when a meter
 * registry polls. Every dimension is a small fixed set, so cardinality stays bounded. It is also where both protocols
 * report an exchange's end, so the {@link ExchangeCompletionListener} (the access log) hears of it here.
 */
public final class HttpServerStats {

	private static final Log logger = LogFactory.getLog(HttpServerStats.class);

	/** Why a request was refused by the I/O tier itself. */
	public enum Rejection {

		/** The request queue was full (503). */
		QUEUE_FULL("queue-full"),
		/** More pipelined requests than allowed on one connection. */
		PIPELINE_LIMIT("pipeline-limit"),
		/** The request head was malformed (400). */
		BAD_REQUEST("bad-request"),
		/** The request line was too long (414). */
		URI_TOO_LONG("uri-too-long"),
		/** The header section was too large (431). */
		HEADERS_TOO_LARGE("headers-too-large"),
		/** The method is refused by the server itself: TRACE unless allowed (405). */
		METHOD_NOT_ALLOWED("method-not-allowed"),
		/** The request head did not arrive in time (408). */
		TIMEOUT("timeout"),
		/** The request body arrived more slowly than the minimum data rate, or stalled before dispatch (408). */
		SLOW_BODY("slow-body"),
		/**
		 * An HTTP/2 connection was closed with GOAWAY(ENHANCE_YOUR_CALM) for a flood: rapid reset, control frames,
		 * empty DATA or small CONTINUATION frames beyond their limits.
		 */
		H2_FLOOD("h2-flood"),
		/** An HTTP/2 connection was closed with GOAWAY for a protocol violation (PROTOCOL_ERROR and the like). */
		H2_PROTOCOL_ERROR("h2-protocol-error"),
		/**
		 * A connection's PROXY protocol header was malformed (bad signature, length, family; cut short), or missing
		 * where one is required; the connection was closed without reading further.
		 */
		PROXY_PROTOCOL("proxy-protocol"),
		/** A peer outside the listener's trusted sources sent a PROXY protocol header (or must but may not). */
		PROXY_UNTRUSTED("proxy-untrusted"),
		/** A PROXY protocol header did not arrive in full within its timeout. */
		PROXY_TIMEOUT("proxy-timeout"),
		/**
		 * On a listener that detects the protocol, a connection did not show TLS or HTTP in its first bytes within the
		 * timeout (it sent nothing, or too little), or ended its side after sending too little to tell; closed.
		 */
		PROTOCOL_DETECTION("protocol-detection");

		private final String tag;

		Rejection(String tag) {
			this.tag = tag;
		}

		/** The metric tag value. */
		public String tag() {
			return this.tag;
		}

	}

	/**
	 * The protocols counted separately: HTTP/1.x by version, HTTP/2 by its ALPN identifiers, {@code h2} over TLS and
	 * {@code h2c} in clear text (prior knowledge or {@code Upgrade: h2c}), and HTTP/3 ({@code h3}).
	 */
	public static final String[] PROTOCOLS = { "HTTP/1.0", "HTTP/1.1", "h2", "h2c", "h3" };

	/** The index of HTTP/2 over TLS ({@code h2}) in {@link #PROTOCOLS}. */
	public static final int H2 = 2;

	/** The index of HTTP/2 in clear text ({@code h2c}) in {@link #PROTOCOLS}. */
	public static final int H2C = 3;

	/** The index of HTTP/3 (over QUIC) in {@link #PROTOCOLS}. */
	public static final int H3 = 4;

	/** Outcome tag values, by status class: index 0 for aborted exchanges, then 1xx to 5xx. */
	public static final String[] OUTCOMES = { "ABORTED", "INFORMATIONAL", "SUCCESS", "REDIRECTION", "CLIENT_ERROR",
			"SERVER_ERROR" };

	private final LongAdder[][] requests = new LongAdder[PROTOCOLS.length][OUTCOMES.length];

	private final LongAdder[] rejections = new LongAdder[Rejection.values().length];

	private final LongAdder bytesReceived = new LongAdder();

	private final LongAdder bytesSent = new LongAdder();

	private final AtomicInteger exchangesInFlight = new AtomicInteger();

	private volatile ExchangeCompletionListener completionListener = ExchangeCompletionListener.NONE;

	/**
	 * {@code error} tag values of HTTP/2 stream resets: the RFC 9113 7 error codes by value (0x0 to 0xd), then
	 * {@code other} for any code the RFC does not define.
	 */
	public static final String[] STREAM_ERRORS = { "no-error", "protocol-error", "internal-error", "flow-control-error",
			"settings-timeout", "stream-closed", "frame-size-error", "refused-stream", "cancel", "compression-error",
			"connect-error", "enhance-your-calm", "inadequate-security", "http-1-1-required", "other" };

	/** {@code side} tag values of HTTP/2 stream resets: who sent the RST_STREAM. */
	public static final String[] RESET_SIDES = { "client", "server" };

	private final LongAdder streamsOpened = new LongAdder();

	private final LongAdder streamsActive = new LongAdder();

	private final LongAdder[][] streamResets = new LongAdder[RESET_SIDES.length][STREAM_ERRORS.length];

	private final LongAdder[][] goAways = new LongAdder[RESET_SIDES.length][STREAM_ERRORS.length];

	public HttpServerStats() {
		for (LongAdder[] row : this.requests) {
			for (int i = 0; i < row.length; i++) {
				row[i] = new LongAdder();
			}
		}
		for (int i = 0; i < this.rejections.length; i++) {
			this.rejections[i] = new LongAdder();
		}
		for (LongAdder[] row : this.streamResets) {
			for (int i = 0; i < row.length; i++) {
				row[i] = new LongAdder();
			}
		}
		for (LongAdder[] row : this.goAways) {
			for (int i = 0; i < row.length; i++) {
				row[i] = new LongAdder();
			}
		}
	}

	/** The index of HTTP/1.0 or HTTP/1.1 in {@link #PROTOCOLS}. */
	public static int http1(boolean http10) {
		return http10 ? 0 : 1;
	}

	/** An HTTP/1.x request ended: as {@link #requestEnded(int, int, boolean)}, with HTTP/1.0 or HTTP/1.1. */
	public void requestEnded(boolean http10, int status, boolean aborted) {
		requestEnded(http1(http10), status, aborted);
	}

	/** A request ended: answered with {@code status}, or aborted. {@code protocol} indexes {@link #PROTOCOLS}. */
	public void requestEnded(int protocol, int status, boolean aborted) {
		int outcome = aborted ? 0 : Math.max(1, Math.min(5, status / 100));
		this.requests[protocol][outcome].increment();
	}

	/** Sets who hears of every exchange's end (the access log); {@code null} for nobody. */
	public void setCompletionListener(ExchangeCompletionListener listener) {
		this.completionListener = (listener != null) ? listener : ExchangeCompletionListener.NONE;
	}

	/**
	 * Whether exchanges should read the clocks for their start, commit and end: only a completion listener (the access
	 * log) reads those times, so without one no request pays for them.
	 */
	public boolean timesExchanges() {
		return this.completionListener != ExchangeCompletionListener.NONE;
	}

	/**
	 * On the loop: an exchange handed to the application tier ended; counted by {@link #requestEnded} already, now
	 * told to the completion listener. A failing listener is logged, never allowed to break the connection.
	 */
	public void exchangeCompleted(QueuedResponseExchange<?> exchange, boolean aborted) {
		ExchangeCompletionListener listener = this.completionListener;
		if (listener == ExchangeCompletionListener.NONE) {
			return;
		}
		exchange.markCompleted(aborted);
		try {
			listener.exchangeCompleted(exchange);
		}
		catch (RuntimeException ex) {
			logger.warn("The exchange completion listener failed on " + exchange, ex);
		}
	}

	/**
	 * On the loop: the I/O tier answered an exchange itself, without the application (a bad head, 413, 503 with the
	 * request queue full): the completion listener hears of it as of any other, so the access log has its line, as
	 * Tomcat logs its own error answers. Counting it ({@link #rejected}, {@link #requestEnded}) is the caller's.
	 * @param bodyBytes the answer's body bytes
	 */
	public void answeredLocally(QueuedResponseExchange<?> exchange, int status, long bodyBytes) {
		if (this.completionListener == ExchangeCompletionListener.NONE) {
			return;
		}
		exchange.answeredLocally(status, bodyBytes);
		exchangeCompleted(exchange, false);
	}

	/**
	 * On the loop: the I/O tier answered a connection whose request head never arrived whole (408), so there is no
	 * exchange; the completion listener hears of a request without a request line.
	 */
	public void answeredWithoutRequest(UnreadRequest request) {
		ExchangeCompletionListener listener = this.completionListener;
		if (listener == ExchangeCompletionListener.NONE) {
			return;
		}
		try {
			listener.exchangeCompleted(request);
		}
		catch (RuntimeException ex) {
			logger.warn("The exchange completion listener failed on " + request, ex);
		}
	}

	/** The I/O tier refused a request by itself. */
	public void rejected(Rejection reason) {
		this.rejections[reason.ordinal()].increment();
	}

	void received(long bytes) {
		this.bytesReceived.add(bytes);
	}

	void sent(long bytes) {
		this.bytesSent.add(bytes);
	}

	/** An exchange was handed to the application tier. */
	public void exchangeStarted() {
		this.exchangesInFlight.incrementAndGet();
	}

	/** An exchange handed to the application tier has ended. */
	public void exchangeEnded() {
		this.exchangesInFlight.decrementAndGet();
	}

	/** Requests answered, by protocol index ({@link #PROTOCOLS}) and outcome index ({@link #OUTCOMES}). */
	public long requests(int protocol, int outcome) {
		return this.requests[protocol][outcome].sum();
	}

	/** Requests the I/O tier refused for the given reason. */
	public long rejections(Rejection reason) {
		return this.rejections[reason.ordinal()].sum();
	}

	/** Bytes read from connections. */
	public long bytesReceived() {
		return this.bytesReceived.sum();
	}

	/** Bytes written to connections. */
	public long bytesSent() {
		return this.bytesSent.sum();
	}

	/** Exchanges handed to the application tier and not yet ended: what graceful shutdown waits for. */
	public int exchangesInFlight() {
		return this.exchangesInFlight.get();
	}

	// ---- HTTP/2 streams

	/** An HTTP/2 stream became active (opened by the client's HEADERS). */
	public void streamOpened() {
		this.streamsOpened.increment();
		this.streamsActive.increment();
	}

	/** An active HTTP/2 stream closed: ended, reset by either side, or its connection went away. */
	public void streamClosed() {
		this.streamsActive.decrement();
	}

	/** An HTTP/2 stream was reset: by the client's RST_STREAM, or by one the server sent, with its error code. */
	public void streamReset(boolean byClient, long errorCode) {
		this.streamResets[byClient ? 0 : 1][errorIndex(errorCode)].increment();
	}

	/**
	 * An HTTP/2 connection is going away: the client's GOAWAY, or the server's (graceful shutdown and idle timeout with
	 * {@code NO_ERROR}, floods and protocol violations with their codes), with its error code. Side indexes as for
	 * resets ({@link #RESET_SIDES}).
	 */
	public void goAway(boolean byClient, long errorCode) {
		this.goAways[byClient ? 0 : 1][errorIndex(errorCode)].increment();
	}

	/** HTTP/2 GOAWAY frames by side index ({@link #RESET_SIDES}) and error index ({@link #STREAM_ERRORS}). */
	public long goAways(int side, int error) {
		return this.goAways[side][error].sum();
	}

	private static int errorIndex(long errorCode) {
		return (errorCode >= 0 && errorCode < STREAM_ERRORS.length - 1) ? (int) errorCode : STREAM_ERRORS.length - 1;
	}

	/** HTTP/2 streams opened since the server started. */
	public long streamsOpened() {
		return this.streamsOpened.sum();
	}

	/** HTTP/2 streams open now. */
	public long streamsActive() {
		return this.streamsActive.sum();
	}

	/** HTTP/2 stream resets by side index ({@link #RESET_SIDES}) and error index ({@link #STREAM_ERRORS}). */
	public long streamResets(int side, int error) {
		return this.streamResets[side][error].sum();
	}

}
