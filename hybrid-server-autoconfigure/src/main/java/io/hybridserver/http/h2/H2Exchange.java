package io.hybridserver.http.h2;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;

import io.hybridserver.http.AltSvc;
import io.hybridserver.http.HeaderTranslation;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.QueuedResponseExchange;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.StreamExchange;
import io.hybridserver.http.StreamingRequestBody;

/**
 * An {@link io.hybridserver.http.Exchange} on one HTTP/2 stream. Its response side is
 * {@link QueuedResponseExchange}'s, as for HTTP/1.1 (the same blocking and non-blocking contracts, the same high-water
 * mark); what differs is the wire: the head becomes a HEADERS frame, the body DATA frames with END_STREAM on the last,
 * an abort resets the stream alone, and every request body byte the application takes is given back to the client's
 * flow-control windows.
 */
final class H2Exchange extends StreamExchange<Http2Headers, H2Exchange> {

	private static final String PROTOCOL = "HTTP/2.0";

	private final H2Connection connection;

	private final int streamId;

	private final String altSvc;

	/** Request body bytes consumed by the application and not yet given back to the client's windows. */
	private final AtomicInteger consumedNotReturned = new AtomicInteger();

	// Event-loop state.
	boolean dispatched;

	boolean headSent;

	boolean continueSent;

	/**
	 * @throws IllegalArgumentException if the request's fields are not valid HTTP (a malformed request)
	 */
	H2Exchange(H2Connection connection, int streamId, Http2Headers headers, boolean endOfStream, ResponseLane lane,
			ByteBufAllocator allocator, HttpServerConfig config) {
		super(connection, PROTOCOL, headers, HeaderTranslation.requestFields(headers), !endOfStream, lane, allocator,
				config);
		this.connection = connection;
		this.streamId = streamId;
		this.altSvc = config.getAltSvc();
		// The body never pauses reading (the windows bound it); each consumed byte goes back to the client instead.
		useBody(new StreamingRequestBody(Integer.MAX_VALUE, writeTimeoutNanos(), () -> {
		}, this::requestContinue, this::consumed));
	}

	int streamId() {
		return this.streamId;
	}

	// ---- request

	@Override
	public Map<String, Object> connectionAttributes() {
		return this.connection.connectionAttributes();
	}

	@Override
	public String scheme() {
		return this.connection.scheme();
	}

	// ---- the wire

	/**
	 * The head: {@code :status}, then the fields in lower case without the connection-specific ones (RFC 9113 8.2.2),
	 * including those {@code Connection} names ({@link HeaderTranslation#responseHead}). Not Netty's HTTP/1-to-2
	 * conversion, which makes a map of the {@code Connection} names and a new name for every field of every response.
	 */
	@Override
	protected Http2Headers newHead(int status, HttpHeaders headers) {
		AltSvc.advertise(this.altSvc, this.connection.secure(), headers);
		addServerHeader(headers);
		// Unvalidated: the fields were validated as they were set, and the names come out in lower case.
		return HeaderTranslation.responseHead(status, headers, new DefaultHttp2Headers(false, headers.size() + 1));
	}

	// ---- request body credit

	/** Consumer thread: the application took {@code bytes}; one task at a time carries the total to the loop. */
	private void consumed(int bytes) {
		if (this.consumedNotReturned.getAndAdd(bytes) == 0) {
			submit(() -> this.connection.returnBytes(this, this.consumedNotReturned.getAndSet(0)));
		}
	}

	// ---- called on the event loop

	/** The stream closed: ended normally, reset by either side, or its connection is gone. */
	void onStreamClosed() {
		streamClosed("The HTTP/2 stream closed before the request body ended");
	}

	@Override
	public String toString() {
		return super.toString() + " (HTTP/2 stream " + this.streamId + ")";
	}

}
