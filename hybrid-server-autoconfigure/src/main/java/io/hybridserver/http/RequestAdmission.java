package io.hybridserver.http;

import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;

import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * The I/O tier's half of the overload rule, the same on every protocol: a request is offered to the request queue
 * without waiting on the loop. When the queue is full the request waits, decoded on its loop, for room in arrival
 * order, for up to {@code server.hybrid.request-queue-timeout} ({@link WaitingRoom}); one still waiting then is
 * answered {@code 503} through its exchange. With a timeout of 0, or once the server stops, a request the full queue
 * refuses is counted ({@code requests.rejected{reason=queue-full}} and a {@code 503} of its protocol in
 * {@code requests}) and answered by its connection at once with {@code 503 Service Unavailable} and
 * {@code Retry-After} ({@code server.hybrid.retry-after}).
 */
public final class RequestAdmission {

	private static final Log logger = LogFactory.getLog(RequestAdmission.class);

	/** What a refused request is answered. */
	public static final HttpResponseStatus REFUSED = HttpResponseStatus.SERVICE_UNAVAILABLE;

	/** What the answer to a refused request says. */
	public static final String REFUSED_MESSAGE = "The server is overloaded; retry later";

	private static final byte[] REFUSED_BODY = REFUSED_MESSAGE.getBytes(StandardCharsets.UTF_8);

	private static final AsciiString STATUS = AsciiString.cached(":status");

	private RequestAdmission() {
	}

	/**
	 * Loop: counts the exchange in flight and offers it to the request queue. The caller marks the exchange as
	 * dispatched first: in the reactive adapter's event-loop mode its handler may end it before this returns.
	 * @param protocol the exchange's protocol, an index of {@link HttpServerStats#PROTOCOLS}
	 * @return whether the queue took it or it waits for room (then it is answered later, by a worker or with a 503
	 * through the exchange); if not (full and no waiting, a stopping server, or a dispatcher that failed, which is
	 * logged) the exchange is no longer counted in flight, its refusal is counted, and the caller answers it
	 * {@link #REFUSED}
	 */
	public static boolean offer(LoopDispatch dispatcher, HttpServerStats stats, HttpServerConfig config,
			Exchange exchange, int protocol) {
		stats.exchangeStarted();
		boolean accepted;
		try {
			accepted = dispatcher.dispatchOrWait(exchange, stats, config);
		}
		catch (RuntimeException ex) {
			logger.error("The dispatcher failed to take " + exchange, ex);
			accepted = false;
		}
		if (!accepted) {
			stats.exchangeEnded();
			stats.rejected(Rejection.QUEUE_FULL);
			stats.requestEnded(protocol, REFUSED.code(), false);
		}
		return accepted;
	}

	/** The {@code Retry-After} of a refusal, in whole seconds: {@code server.hybrid.retry-after}, at least 1. */
	public static long retryAfterSeconds(HttpServerConfig config) {
		return Math.max(1, config.getRetryAfter().toSeconds());
	}

	/** The body of a refusal on HTTP/2 and HTTP/3: {@link #REFUSED_MESSAGE} in UTF-8, a copy of the caller's own. */
	public static byte[] refusalBody() {
		return REFUSED_BODY.clone();
	}

	/**
	 * Fills the head of a refusal on HTTP/2 or HTTP/3: {@code :status 503}, a plain-text body of {@code bodyLength}
	 * bytes, {@code Date}, {@code Retry-After} and the configured {@code Server}.
	 * @return {@code head}
	 */
	public static <H extends Headers<CharSequence, CharSequence, ?>> H refusalHead(H head, int bodyLength,
			HttpServerConfig config) {
		head.set(STATUS, REFUSED.codeAsText());
		head.set(HttpHeaderNames.CONTENT_TYPE, "text/plain;charset=UTF-8");
		head.setInt(HttpHeaderNames.CONTENT_LENGTH, bodyLength);
		head.set(HttpHeaderNames.DATE, HttpDate.now());
		head.setLong(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds(config));
		String server = config.getServerHeader();
		if (server != null) {
			head.set(HttpHeaderNames.SERVER, server);
		}
		return head;
	}

}
