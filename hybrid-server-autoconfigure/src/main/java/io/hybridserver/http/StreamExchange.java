package io.hybridserver.http;

import java.io.File;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.Headers;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * An {@link Exchange} on one stream of a multiplexed protocol, HTTP/2 or HTTP/3: what both share beyond
 * {@link QueuedResponseExchange}'s response side. The request comes as a field section with pseudo-header fields
 * ({@link HeaderTranslation}); the wire, the addresses, the loop and the timers are the {@link StreamCarrier}'s; a
 * stream carries trailers after any body, never a file from the page cache, and ends alone, its connection going on.
 * @param <H> the protocol's form of a response head
 * @param <E> the protocol's exchange (this class), which its carrier writes for
 */
public abstract class StreamExchange<H, E extends StreamExchange<H, E>> extends QueuedResponseExchange<H> {

	private final StreamCarrier<H, E> carrier;

	private final String protocol;

	private final String method;

	private final String target;

	private final boolean expectContinue;

	private final String serverHeader;

	private volatile boolean streamOpen = true;

	// Event-loop state.
	private boolean refused;

	/**
	 * @param protocol what {@link #protocol()} says, e.g. {@code HTTP/2.0}
	 * @param head the request's field section, pseudo-header fields included
	 * @param fields the request's fields as HTTP/1.1 would carry them ({@link HeaderTranslation#requestFields})
	 * @param bodyMayFollow whether a body may follow the head (HTTP/2: the HEADERS frame did not end the stream)
	 * @throws IllegalArgumentException if the request's {@code Content-Length} is not a number (a malformed request)
	 */
	protected StreamExchange(StreamCarrier<H, E> carrier, String protocol, Headers<CharSequence, CharSequence, ?> head,
			HttpHeaders fields, boolean bodyMayFollow, ResponseLane lane, ByteBufAllocator allocator,
			HttpServerConfig config) {
		super(new NettyHttpFields(fields, true), bodyMayFollow ? HeaderTranslation.contentLength(fields) : 0,
				HttpMethod.HEAD.name().equals(HeaderTranslation.method(head)), lane, allocator, config,
				carrier.timesExchanges());
		this.carrier = carrier;
		this.protocol = protocol;
		this.method = HeaderTranslation.method(head);
		this.target = HeaderTranslation.target(head);
		this.expectContinue = bodyMayFollow
				&& fields.containsValue(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE, true);
		this.serverHeader = config.getServerHeader();
	}

	@SuppressWarnings("unchecked")
	private E self() {
		return (E) this;
	}

	/** Loop: the request queue was full; the carrier answers 503 itself and nobody will read this body. */
	public final void refused() {
		this.refused = true;
		markEnded();
		body().discard();
	}

	/** Loop: whether the request queue refused this exchange. */
	public final boolean isRefused() {
		return this.refused;
	}

	// ---- request

	@Override
	public final String method() {
		return this.method;
	}

	@Override
	public final String target() {
		return this.target;
	}

	@Override
	public final String protocol() {
		return this.protocol;
	}

	/** A stream ends alone: the connection stays for others while it is open. */
	@Override
	public final boolean keepAlive() {
		return !aborted() && isOpen();
	}

	@Override
	public final InetSocketAddress remoteAddress() {
		return this.carrier.remoteAddress();
	}

	@Override
	public final InetSocketAddress localAddress() {
		return this.carrier.localAddress();
	}

	@Override
	public final SSLSession tlsSession() {
		return this.carrier.tlsSession();
	}

	@Override
	public final boolean isOpen() {
		return this.streamOpen && this.carrier.isOpen();
	}

	@Override
	public final ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.carrier.schedule(task, delay, unit);
	}

	/** Files travel as DATA frames through the protocol's flow control, so they are read into buffers like any body. */
	@Override
	public final boolean canWriteFile() {
		return false;
	}

	@Override
	public final void writeFile(File file, long position, long count) {
		throw new IllegalStateException("Files are sent from the page cache on HTTP/1.1 plaintext connections only");
	}

	// ---- the wire

	/** A HEADERS frame after the DATA frames can follow any body (RFC 9113 8.1, RFC 9114 4.1). */
	@Override
	protected final boolean canCarryTrailers(long declaredLength) {
		return true;
	}

	/** Worker, building the head: the configured {@code Server} field, unless the application set one. */
	protected final void addServerHeader(HttpHeaders headers) {
		if (this.serverHeader != null && !headers.contains(HttpHeaderNames.SERVER)) {
			headers.set(HttpHeaderNames.SERVER, this.serverHeader);
		}
	}

	@Override
	protected final FlushTarget writePart(H head, ByteBuf content, int length, boolean last) {
		return this.carrier.writePart(self(), head, content, length, last);
	}

	@Override
	protected final FlushTarget abortOnLoop(Throwable cause) {
		return this.carrier.abortExchange(self(), cause);
	}

	@Override
	protected final boolean inEventLoop() {
		return this.carrier.inEventLoop();
	}

	@Override
	protected final void runOnLoop(OutboundTask task) {
		this.carrier.runOnLoop(task);
	}

	/** Consumer thread, reading the body: asks for the client's body with a {@code 100 Continue} if it expects one. */
	protected final void requestContinue() {
		if (this.expectContinue && !isCommitted()) {
			submit(() -> this.carrier.sendContinue(self()));
		}
	}

	/** Loop: the stream closed (ended, reset by either side, or its connection is gone); {@code why} for a reader. */
	protected final void streamClosed(String why) {
		this.streamOpen = false;
		closed(why);
	}

	@Override
	public String toString() {
		return this.method + " " + this.target;
	}

}
