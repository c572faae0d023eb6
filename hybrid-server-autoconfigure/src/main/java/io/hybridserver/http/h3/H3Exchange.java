package io.hybridserver.http.h3;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;

import io.hybridserver.http.HeaderTranslation;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.QueuedResponseExchange;
import io.hybridserver.http.ResponseLane;
import io.hybridserver.http.StreamExchange;
import io.hybridserver.http.StreamingRequestBody;

/**
 * An {@link io.hybridserver.http.Exchange} on one HTTP/3 request stream. The response side is
 * {@link QueuedResponseExchange}'s, as for HTTP/1.1 and HTTP/2; on the wire the head is a HEADERS frame, the body DATA
 * frames, the end a FIN on the stream, and an abort resets the stream alone.
 *
 * <p>The request body is read from QUIC only while its buffer has room ({@link StreamingRequestBody#wantsMore()}, as
 * HTTP/1.1 pauses its socket): what is not read stays unacknowledged in QUIC's stream flow control, so the client is
 * held back by its stream and connection credit instead of being buffered here.
 */
final class H3Exchange extends StreamExchange<Http3Headers, H3Exchange> {

	private static final String PROTOCOL = "HTTP/3";

	private final H3Stream stream;

	// Event-loop state.
	boolean dispatched;

	boolean headSent;

	boolean continueSent;

	/** @throws IllegalArgumentException if the request's fields are not valid HTTP (a malformed request) */
	H3Exchange(H3Stream stream, Http3Headers headers, ResponseLane lane, ByteBufAllocator allocator,
			HttpServerConfig config) {
		super(stream, PROTOCOL, headers, HeaderTranslation.requestFields(headers), true, lane, allocator, config);
		this.stream = stream;
		useBody(new StreamingRequestBody(config.getRequestBodyBufferSize(), writeTimeoutNanos(),
				() -> submit(stream::resumeReadingTask), this::requestContinue, null));
	}

	// ---- request

	/** Always {@code https}: QUIC is always encrypted. */
	@Override
	public String scheme() {
		return "https";
	}

	// ---- the wire

	@Override
	protected Http3Headers newHead(int status, HttpHeaders headers) {
		addServerHeader(headers);
		return HeaderTranslation.responseHead(status, headers, new DefaultHttp3Headers(true, headers.size() + 1));
	}

	// ---- called on the event loop

	/** The stream closed: ended normally, reset by either side, or its connection is gone. */
	void onStreamClosed() {
		streamClosed("The HTTP/3 stream closed before the request body ended");
	}

	@Override
	public String toString() {
		return super.toString() + " (HTTP/3 stream " + this.stream.streamId() + ")";
	}

}
