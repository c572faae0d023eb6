package io.hybridserver.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The response side every protocol's {@link Exchange} shares: worker-side calls (commit, write, flush, complete,
 * abort) are checked here, counted against the high-water mark, and handed as {@link OutboundTask}s to the
 * connection's loop, through its {@link ResponseLane} from a worker or at once on the loop itself. The head is held
 * back until the first body bytes, a flush or the end, so that a small response leaves in one batch.
 * <p>
 * A protocol says only what differs: how a head is built ({@link #newHead}), how a head, body part or end is put on
 * the wire ({@link #writePart}), how an exchange is torn down ({@link #abortOnLoop}), and how its request body
 * arrives (it hands its {@link StreamingRequestBody} in with {@link #useBody}).
 * @param <H> the protocol's form of a response head
 */
public abstract class QueuedResponseExchange<H> implements ByteBufExchange, CompletedExchange, OutboundTask {

	private static final Log logger = LogFactory.getLog(QueuedResponseExchange.class);

	/** Netty's trailer rules: names validated, and the fields RFC 9110 6.5.1 forbids as trailers refused. */
	private static final DefaultHttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory();

	// Atomic operations on plain volatile fields rather than an Atomic* object each: four objects fewer per request.
	private static final VarHandle ENDED;

	private static final VarHandle UNSENT_BYTES;

	private static final VarHandle WRITABLE;

	private static final VarHandle CONNECTION_LOST_FIRED;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			ENDED = lookup.findVarHandle(QueuedResponseExchange.class, "ended", boolean.class);
			UNSENT_BYTES = lookup.findVarHandle(QueuedResponseExchange.class, "unsentBytes", long.class);
			WRITABLE = lookup.findVarHandle(QueuedResponseExchange.class, "writable", Runnable.class);
			CONNECTION_LOST_FIRED = lookup.findVarHandle(QueuedResponseExchange.class, "connectionLostFired",
					boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	protected final boolean headRequest;

	private final NettyHttpFields requestFields;

	private final long requestContentLength;

	private final NettyHttpFields responseFields;

	private final ResponseLane lane;

	private final ByteBufAllocator allocator;

	private final int highWaterMark;

	private final long writeTimeoutNanos;

	private final int maxResponseHeaderSize;

	// Written by the worker, published to the loop through the lane's queue.
	private volatile boolean ended;

	/** Body bytes handed to the loop and not yet taken by the socket (see {@link #send}). */
	private volatile long unsentBytes;

	private volatile boolean committed;

	private volatile Thread writer;

	private volatile Runnable connectionLost;

	/** A non-blocking producer's one-shot "writable again" callback. */
	private volatile Runnable writable;

	private volatile boolean connectionLostFired;

	private StreamingRequestBody body;

	private H pendingHead;

	/**
	 * The last part of a body of declared length, held back on the worker until {@link #complete()} so that it leaves
	 * with the end as one task (see {@link #joinsLastPartWithEnd()}): its head, if it had not left, and its bytes (or
	 * {@code null} when the protocol took them into the head). Once the exchange has ended the two fields carry the
	 * end's head and bytes to the loop ({@link #runOnLoop()}).
	 */
	private boolean holdingLastPart;

	private H heldHead;

	private ByteBuf heldContent;

	/** The header fields' encoded size at commit, for a protocol that sizes its head's buffer by it. */
	private int encodedHeaderSize;

	private int status = 200;

	private long declaredLength = -1;

	private long written;

	private boolean bodyless;

	/**
	 * Whether this exchange is timed for the completion listener (the access log): without one, the clocks are not read
	 * on every request for nothing. The metrics time nothing here (their queue wait is the dispatcher's).
	 */
	private final boolean timed;

	private boolean aborted;

	/**
	 * For the completion listener: made at creation when one is there ({@link #timed}), else only if one asks at the
	 * end or the application describes the request; {@code null} otherwise.
	 */
	private CompletionFacts facts;

	private volatile Supplier<Map<String, String>> trailerSupplier;

	/** Asked of the supplier by {@link #complete()}, read on the loop by the last part's write. */
	private HttpHeaders trailersToSend;

	/** Set on the loop before the body ends. */
	private volatile HttpHeaders requestTrailers;

	/**
	 * @param requestFields the request's header fields as the application sees them
	 * @param requestContentLength the request body's declared length, {@code -1} when unknown
	 * @param headRequest whether the request is a HEAD (its response has no body)
	 * @param timed whether to read the clocks for {@link CompletedExchange}'s times: when a completion listener is
	 * installed ({@link HttpServerStats#timesExchanges()})
	 */
	protected QueuedResponseExchange(NettyHttpFields requestFields, long requestContentLength, boolean headRequest,
			ResponseLane lane, ByteBufAllocator allocator, HttpServerConfig config, boolean timed) {
		this.timed = timed;
		if (timed) {
			this.facts = CompletionFacts.startingNow();
		}
		this.requestFields = requestFields;
		this.requestContentLength = requestContentLength;
		this.headRequest = headRequest;
		this.lane = lane;
		this.allocator = allocator;
		this.responseFields = new NettyHttpFields(ArrayHttpHeaders.responseFields(), false);
		this.highWaterMark = config.getResponseHighWaterMark();
		this.writeTimeoutNanos = config.getConnectionTimeout().toNanos();
		this.maxResponseHeaderSize = config.getMaxResponseHeaderSize();
	}

	/** Constructor only: the request body, built by the protocol (its callbacks may refer to the exchange). */
	protected final void useBody(StreamingRequestBody body) {
		this.body = body;
	}

	/** The request body, for the connection that feeds it. */
	public final StreamingRequestBody body() {
		return this.body;
	}

	/** The status committed (200 until then), for the connection's accounting. */
	public final int status() {
		return this.status;
	}

	protected final long writeTimeoutNanos() {
		return this.writeTimeoutNanos;
	}

	// ---- what each protocol says

	/** Worker: the protocol's head for a committed status and its (final) header fields. */
	protected abstract H newHead(int status, HttpHeaders headers);

	/** Worker, at commit: the body's length is not known; HTTP/1.1 frames it with chunks, HTTP/2 needs nothing. */
	protected void frameUnknownLength(HttpHeaders headers) {
	}

	/** Worker: a head about to leave with the first body bytes, while {@link #written()} counts them already. */
	protected void headGoesWithBody(H head) {
	}

	/**
	 * Worker: the bytes that complete a body of declared length, while its head has not left yet. A protocol that can
	 * carry them in the head's own buffer (HTTP/1.1 encodes both into one) copies them there and answers {@code true};
	 * the default answers {@code false}, and the bytes go in a buffer of their own.
	 */
	protected boolean appendToHead(H head, byte[] bytes, int offset, int length) {
		return false;
	}

	/**
	 * Whether the part that completes a body of declared length waits on the worker for {@link #complete()}, to go
	 * to the loop with the end as one task (one response-queue entry and one flush per small response, not two). No
	 * bytes can follow that part, so holding it delays nothing the client could see before the end but the time
	 * between the last write and {@code complete()}. Off by default.
	 */
	protected boolean joinsLastPartWithEnd() {
		return false;
	}

	/** Worker: a head that will never be sent (the exchange ended before it left); a head holding a buffer frees it. */
	protected void discardHead(H head) {
	}

	/**
	 * Loop: write the head (if any, not yet sent), body bytes (if any) and, when {@code last}, the end.
	 * @param length the body bytes to report to {@link #onSent} once written (or dropped): {@code 0} when nobody
	 * waits for them, which a protocol may take as leave to write them without a promise
	 */
	protected abstract FlushTarget writePart(H head, ByteBuf content, int length, boolean last);

	/** Loop: the exchange failed; end it on the wire as the protocol can. */
	protected abstract FlushTarget abortOnLoop(Throwable cause);

	/** Whether the caller runs on the connection's event loop. */
	protected abstract boolean inEventLoop();

	/** Loop: run a task now, as the lane would have. */
	protected abstract void runOnLoop(OutboundTask task);

	// ---- the application's side

	@Override
	public final HttpFields requestHeaders() {
		return this.requestFields;
	}

	@Override
	public final HttpHeaders nettyRequestHeaders() {
		return this.requestFields.headers();
	}

	@Override
	public final long requestContentLength() {
		return this.requestContentLength;
	}

	@Override
	public final RequestBody requestBody() {
		return this.body;
	}

	@Override
	public final ByteBuf pollRequestContent() throws IOException {
		return this.body.poll();
	}

	@Override
	public final boolean isWritable() {
		return this.unsentBytes <= this.highWaterMark || !isOpen();
	}

	@Override
	public final void onWritable(Runnable callback) {
		this.writable = callback;
		// Re-check after publishing: bytes sent in between notified nobody.
		if (isWritable()) {
			fireWritable();
		}
	}

	private void fireWritable() {
		Runnable callback = (Runnable) WRITABLE.getAndSet(this, (Runnable) null);
		if (callback != null) {
			callback.run();
		}
	}

	@Override
	public final void onConnectionLost(Runnable callback) {
		this.connectionLost = callback;
		if (!isOpen()) {
			fireConnectionLost();
		}
	}

	protected final void fireConnectionLost() {
		Runnable callback = this.connectionLost;
		if (callback != null && !this.ended && CONNECTION_LOST_FIRED.compareAndSet(this, false, true)) {
			callback.run();
		}
	}

	@Override
	public final HttpFields responseHeaders() {
		return this.responseFields;
	}

	@Override
	public final HttpHeaders nettyResponseHeaders() {
		return this.responseFields.headers();
	}

	@Override
	public final ByteBufAllocator alloc() {
		return this.allocator;
	}

	@Override
	public final boolean isCommitted() {
		return this.committed;
	}

	@Override
	public final void commit(int status, long contentLength) {
		if (this.committed) {
			throw new IllegalStateException("The response is already committed");
		}
		if (status < 200 || status > 999) {
			throw new IllegalArgumentException("Status " + status + " cannot be sent as a final response");
		}
		this.committed = true;
		this.status = status;
		if (this.timed) {
			this.facts.commitNanos = System.nanoTime() - this.facts.startNanos;
		}
		this.responseFields.seal();
		HttpHeaders headers = this.responseFields.headers();
		boolean noContentStatus = status == 204 || status == 304;
		this.bodyless = this.headRequest || noContentStatus;
		// Framing belongs to the server: whatever the application set is replaced by what will really be sent
		// (HTTP/2 forbids Transfer-Encoding outright, RFC 9113 8.2.2).
		headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
		if (noContentStatus) {
			headers.remove(HttpHeaderNames.CONTENT_LENGTH);
			this.declaredLength = 0;
		}
		else if (contentLength >= 0 && !(this.trailerSupplier != null && !this.bodyless && trailersNeedUnknownLength())) {
			headers.set(HttpHeaderNames.CONTENT_LENGTH, ContentLengthText.of(contentLength));
			this.declaredLength = contentLength;
		}
		else {
			headers.remove(HttpHeaderNames.CONTENT_LENGTH);
			frameUnknownLength(headers);
			this.declaredLength = -1;
		}
		if (!headers.contains(HttpHeaderNames.DATE)) {
			headers.set(HttpHeaderNames.DATE, HttpDate.now());
		}
		int headerSize = encodedSize(headers);
		if (headerSize > this.maxResponseHeaderSize) {
			replaceWithServerError(headers, headerSize);
			headerSize = encodedSize(headers);
		}
		this.encodedHeaderSize = headerSize;
		this.pendingHead = newHead(this.status, headers);
	}

	/** The header fields' size as HTTP/1.1 writes them: {@code name: value} and CRLF. */
	private static int encodedSize(HttpHeaders headers) {
		long size = 0;
		if (headers instanceof ArrayHttpHeaders fields) {
			// By index: no iterator and no entry per field.
			for (int i = 0; i < fields.size(); i++) {
				size += fields.nameAt(i).length() + fields.valueAt(i).length() + 4;
			}
			return (int) Math.min(Integer.MAX_VALUE, size);
		}
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> field = it.next();
			size += field.getKey().length() + field.getValue().length() + 4;
		}
		return (int) Math.min(Integer.MAX_VALUE, size);
	}

	/**
	 * Headers over the limit are the application's fault, and a client or proxy would refuse them: as Tomcat does, the
	 * response becomes an empty 500 without the application's headers, and its body is discarded.
	 */
	private void replaceWithServerError(HttpHeaders headers, int headerSize) {
		logger.warn("A " + this.status + " response had " + headerSize
				+ " bytes of header fields, more than server.hybrid.max-response-header-size (" + this.maxResponseHeaderSize
				+ " bytes): an empty 500 is sent instead");
		CharSequence date = headers.get(HttpHeaderNames.DATE);
		headers.clear();
		headers.set(HttpHeaderNames.DATE, date);
		headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
		this.status = 500;
		this.declaredLength = 0;
		this.bodyless = true;
	}

	@Override
	public final void write(byte[] bytes, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (!admit(length, true)) {
			return;
		}
		H head = this.pendingHead;
		if (head != null && completesBody(length) && appendToHead(head, bytes, offset, length)) {
			// The whole response in the head's buffer: no buffer of its own for the body, no second copy on the loop.
			this.pendingHead = null;
			headGoesWithBody(head);
			sendLastPart(head, null);
			return;
		}
		ByteBuf buf = this.allocator.directBuffer(length);
		buf.writeBytes(bytes, offset, length);
		send(buf, length);
	}

	@Override
	public final void write(ByteBuf content) throws IOException {
		int length = content.readableBytes();
		boolean admitted;
		try {
			admitted = admit(length, false);
		}
		catch (IOException | RuntimeException ex) {
			content.release();
			throw ex;
		}
		if (admitted) {
			send(content, length);
		}
		else {
			content.release();
		}
	}

	@Override
	public final void flush() throws IOException {
		ensureWritable();
		if (this.holdingLastPart) {
			H head = this.heldHead;
			ByteBuf content = this.heldContent;
			clearHeld();
			submit(() -> writePart(head, content, 0, false));
			return;
		}
		H head = takePendingHead();
		if (head != null) {
			submit(() -> writePart(head, null, 0, false));
		}
	}

	@Override
	public final void complete() {
		if (!ENDED.compareAndSet(this, false, true)) {
			return;
		}
		recordThread();
		this.body.discard();
		if (!this.committed) {
			commit(200, 0);
		}
		if (!this.bodyless && this.declaredLength >= 0 && this.written < this.declaredLength) {
			// The head promised more bytes than were written: the only honest end is to abort.
			IOException cause = new IOException("Response ended after " + this.written + " of "
					+ this.declaredLength + " bytes promised by its Content-Length");
			dropUnsent();
			submit(() -> abortOnLoop(cause));
			return;
		}
		prepareTrailers();
		if (this.holdingLastPart) {
			// What was held goes with the end: the held fields carry it to the loop (see runOnLoop()).
			this.holdingLastPart = false;
		}
		else {
			this.heldHead = takePendingHead();
			this.heldContent = null;
		}
		submit(this);
	}

	/**
	 * Loop: the response's end, as {@link #complete()} hands it over, once: the head if it had not left, the last body
	 * bytes held back for it, the end. The exchange is that task itself rather than a lambda made for every response;
	 * nothing else touches the held fields once the exchange has ended.
	 */
	@Override
	public final FlushTarget runOnLoop() {
		H head = this.heldHead;
		ByteBuf content = this.heldContent;
		this.heldHead = null;
		this.heldContent = null;
		return writePart(head, content, 0, true);
	}

	private void clearHeld() {
		this.holdingLastPart = false;
		this.heldHead = null;
		this.heldContent = null;
	}

	/** Worker, ending without a normal end: what was held back or never sent is freed, not written. */
	private void dropUnsent() {
		if (this.holdingLastPart) {
			ByteBuf content = this.heldContent;
			H head = this.heldHead;
			clearHeld();
			if (content != null) {
				content.release();
			}
			if (head != null) {
				discardHead(head);
			}
		}
		H head = takePendingHead();
		if (head != null) {
			discardHead(head);
		}
	}

	// ---- trailers

	@Override
	public final HttpFields requestTrailers() {
		HttpHeaders trailers = this.requestTrailers;
		return (trailers != null && !trailers.isEmpty() && this.body.isFinished()) ? new NettyHttpFields(trailers, true)
				: NettyHttpFields.EMPTY;
	}

	/** Loop: the request body's trailer fields, just before its end is signalled. */
	public final void requestTrailersArrived(HttpHeaders trailers) {
		this.requestTrailers = trailers;
	}

	@Override
	public final boolean supportsResponseTrailers() {
		return !this.headRequest && (!this.committed ? canCarryTrailers(-1) : !this.bodyless
				&& canCarryTrailers(this.declaredLength));
	}

	/**
	 * Whether this protocol can send trailers after a body of this declared length ({@code -1} when unknown or not
	 * yet committed). None by default.
	 */
	protected boolean canCarryTrailers(long declaredLength) {
		return false;
	}

	/** Whether a response with trailers must be committed without a declared length (HTTP/1.1 chunks it). */
	protected boolean trailersNeedUnknownLength() {
		return false;
	}

	@Override
	public final void responseTrailers(Supplier<Map<String, String>> trailers) {
		if (!supportsResponseTrailers()) {
			throw new IllegalStateException("This response cannot carry trailer fields");
		}
		this.trailerSupplier = trailers;
	}

	/** Loop, writing the last part: the trailer fields to send after the body, or {@code null}. */
	public final HttpHeaders takeTrailers() {
		HttpHeaders trailers = this.trailersToSend;
		this.trailersToSend = null;
		return trailers;
	}

	/** Worker, completing: asks the application's supplier once; fields that may not be trailers are left out. */
	private void prepareTrailers() {
		Supplier<Map<String, String>> supplier = this.trailerSupplier;
		if (supplier == null || this.bodyless) {
			return;
		}
		Map<String, String> fields;
		try {
			fields = supplier.get();
		}
		catch (RuntimeException ex) {
			logger.warn("The response's trailer supplier failed; the response ends without trailers", ex);
			return;
		}
		if (fields == null || fields.isEmpty()) {
			return;
		}
		HttpHeaders trailers = TRAILERS.newHeaders();
		fields.forEach((name, value) -> {
			try {
				trailers.add(name.toLowerCase(Locale.ROOT), (value != null) ? value : "");
			}
			catch (IllegalArgumentException ex) {
				// RFC 9110 6.5.1: framing, routing and similar fields are no trailers; an invalid name is no field.
				logger.debug("Trailer field '" + name + "' left out: " + ex.getMessage());
			}
		});
		this.trailersToSend = trailers.isEmpty() ? null : trailers;
	}

	@Override
	public final void abort(Throwable cause) {
		if (!ENDED.compareAndSet(this, false, true)) {
			return;
		}
		recordThread();
		this.body.discard();
		dropUnsent();
		submit(() -> abortOnLoop(cause));
	}

	/** Worker, ending the exchange: its thread's name, for a listener that will read it. */
	private void recordThread() {
		CompletionFacts facts = this.facts;
		if (facts != null) {
			facts.threadName = Thread.currentThread().getName();
		}
	}

	private CompletionFacts facts() {
		CompletionFacts facts = this.facts;
		if (facts == null) {
			facts = new CompletionFacts();
			this.facts = facts;
		}
		return facts;
	}

	@Override
	public final void describe(String remoteUser, String sessionId) {
		CompletionFacts facts = facts();
		facts.remoteUser = remoteUser;
		facts.sessionId = sessionId;
	}

	/** An exchange is described for the completion listener (the access log) that was there when it began. */
	@Override
	public final boolean wantsDescription() {
		return this.timed;
	}

	@Override
	public final void describeForwardedClient(String remoteAddress) {
		facts().forwardedRemoteAddress = remoteAddress;
	}

	@Override
	public final String forwardedRemoteAddress() {
		return (this.facts != null) ? this.facts.forwardedRemoteAddress : null;
	}

	// ---- what the completion listener reads, on the loop once the exchange has ended

	/** Loop: the exchange has ended; fixes what {@link CompletedExchange} reports. */
	public final void markCompleted(boolean aborted) {
		CompletionFacts facts = facts();
		this.aborted = aborted;
		facts.endNanos = System.nanoTime();
		if (!this.timed) {
			// The listener came after this exchange began (the server was starting): it ends now, in no time.
			facts.startMillis = System.currentTimeMillis();
			facts.startNanos = facts.endNanos;
		}
		if (facts.threadName == null) {
			facts.threadName = Thread.currentThread().getName();
		}
	}

	/**
	 * Loop: the I/O tier answered this exchange itself (400, 413, 503...) without the application; records what the
	 * completion listener reads. Call {@link HttpServerStats#answeredLocally} rather than this.
	 */
	final void answeredLocally(int status, long bodyBytes) {
		this.status = status;
		this.written = bodyBytes;
		if (this.timed) {
			this.facts.commitNanos = System.nanoTime() - this.facts.startNanos;
		}
	}

	@Override
	public final boolean aborted() {
		return this.aborted;
	}

	@Override
	public final long bodyBytes() {
		return this.bodyless ? 0 : this.written;
	}

	@Override
	public final long startMillis() {
		return (this.facts != null) ? this.facts.startMillis : 0;
	}

	@Override
	public final long durationNanos() {
		return (this.facts != null) ? this.facts.endNanos - this.facts.startNanos : 0;
	}

	@Override
	public final long commitNanos() {
		return (this.facts != null) ? this.facts.commitNanos : -1;
	}

	@Override
	public final List<String> requestHeaders(String name) {
		return this.requestFields.getAll(name);
	}

	@Override
	public final List<String> responseHeaders(String name) {
		return this.responseFields.getAll(name);
	}

	@Override
	public final String remoteUser() {
		return (this.facts != null) ? this.facts.remoteUser : null;
	}

	@Override
	public final String sessionId() {
		return (this.facts != null) ? this.facts.sessionId : null;
	}

	@Override
	public final String threadName() {
		return (this.facts != null) ? this.facts.threadName : null;
	}

	// ---- for the protocol's own worker-side paths

	/**
	 * Ends the exchange with a {@code 101}: no body follows, the request body (none for an upgrade) is discarded.
	 * @return the response header fields, sealed, for the protocol's 101 head
	 * @throws IllegalStateException if the response was committed or the exchange already ended
	 */
	protected final HttpHeaders commitSwitchingProtocols() {
		if (this.committed || !ENDED.compareAndSet(this, false, true)) {
			throw new IllegalStateException("The response is already committed");
		}
		this.committed = true;
		this.status = 101;
		this.body.discard();
		this.responseFields.seal();
		HttpHeaders headers = this.responseFields.headers();
		headers.remove(HttpHeaderNames.CONTENT_LENGTH);
		headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
		return headers;
	}

	/** Marks the exchange ended without an answer of its own (the connection answers for it). */
	protected final void markEnded() {
		this.ended = true;
	}

	/** The header fields' size as HTTP/1.1 writes them, measured at commit. */
	protected final int encodedHeaderSize() {
		return this.encodedHeaderSize;
	}

	/** Body bytes counted as written so far. */
	protected final long written() {
		return this.written;
	}

	protected final long declaredLength() {
		return this.declaredLength;
	}

	/** Counts bytes handed to the loop that have not reached the socket yet. */
	protected final void addUnsent(long bytes) {
		addUnsentBytes(bytes);
	}

	/**
	 * What every body write checks first: the exchange is open, the head committed (a 200 of unknown length if nothing
	 * was), and the bytes fit the declared length. Counts them as written.
	 * @param mayWait whether to wait for the client to drain first (the blocking byte-array path)
	 * @return whether the bytes are to be sent: not for a response without a body, or nothing to send
	 */
	protected final boolean admit(long length, boolean mayWait) throws IOException {
		ensureWritable();
		if (!this.committed) {
			commit(200, -1);
		}
		if (length == 0 || this.bodyless) {
			this.written += length;
			return false;
		}
		if (this.declaredLength >= 0 && this.written + length > this.declaredLength) {
			throw new IOException("Response body exceeds its Content-Length of " + this.declaredLength + " bytes");
		}
		if (mayWait) {
			awaitDrained();
		}
		this.written += length;
		return true;
	}

	/**
	 * Hands admitted body bytes to the connection's loop. They count as unsent until the protocol reports them sent
	 * ({@link #onSent}), which costs it a promise and a listener per write; except when this write completes a body of
	 * declared length and fits under the high-water mark: no write can follow it (the length is reached), so nobody can
	 * wait for these bytes, and they are handed over as {@code length} 0, which tells the protocol not to report them.
	 * That is every small servlet response (buffered, then committed with its exact length).
	 */
	private void send(ByteBuf content, int length) {
		boolean last = completesBody(length);
		int tracked = last ? 0 : length;
		if (tracked > 0) {
			addUnsentBytes(tracked);
		}
		H head = takePendingHead();
		if (head != null) {
			headGoesWithBody(head);
		}
		if (last) {
			sendLastPart(head, content);
			return;
		}
		submit(() -> writePart(head, content, tracked, false));
	}

	/** Whether these admitted bytes complete a body of declared length and need no counting (see {@link #send}). */
	private boolean completesBody(int length) {
		return this.declaredLength >= 0 && this.written == this.declaredLength && length <= this.highWaterMark;
	}

	/** The part that completes the body: held for {@link #complete()} where the protocol joins them, else sent. */
	private void sendLastPart(H head, ByteBuf content) {
		if (joinsLastPartWithEnd()) {
			this.holdingLastPart = true;
			this.heldHead = head;
			this.heldContent = content;
			return;
		}
		submit(() -> writePart(head, content, 0, false));
	}

	private long addUnsentBytes(long delta) {
		return (long) UNSENT_BYTES.getAndAdd(this, delta) + delta;
	}

	/**
	 * Hands a task to the connection's loop: through the response queue from a worker, or at once when already on the
	 * loop (the reactive adapter's event-loop mode), where queueing would only add a hop and a full queue could not
	 * wait.
	 */
	protected final void submit(OutboundTask task) {
		if (inEventLoop()) {
			runOnLoop(task);
		}
		else {
			this.lane.submit(task);
		}
	}

	protected final H takePendingHead() {
		H head = this.pendingHead;
		this.pendingHead = null;
		return head;
	}

	protected final void ensureWritable() throws IOException {
		if (this.ended) {
			throw new IOException("The exchange has already ended");
		}
		if (!isOpen()) {
			throw new ClosedChannelException();
		}
	}

	/** Blocks while too many written bytes wait for a slow client; never an event loop, by the contract. */
	private void awaitDrained() throws IOException {
		if (this.unsentBytes <= this.highWaterMark || inEventLoop()) {
			// On the loop nothing may wait, and waiting would keep the loop from sending: non-blocking callers
			// (the reactive adapter) hold back by isWritable() instead.
			return;
		}
		long deadline = System.nanoTime() + this.writeTimeoutNanos;
		this.writer = Thread.currentThread();
		try {
			while (this.unsentBytes > this.highWaterMark / 2) {
				if (!isOpen()) {
					throw new ClosedChannelException();
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					abort(new SocketTimeoutException("Client did not read the response"));
					throw new SocketTimeoutException("The client took no response bytes for "
							+ TimeUnit.NANOSECONDS.toMillis(this.writeTimeoutNanos) + " ms");
				}
				LockSupport.parkNanos(this, remaining);
				if (Thread.interrupted()) {
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("Interrupted while waiting for the client to read");
				}
			}
		}
		finally {
			this.writer = null;
		}
	}

	// ---- called on the event loop by the protocol's connection

	/** Loop: bytes of this exchange's body have reached the socket (or were dropped with it). */
	public final void onSent(long bytes) {
		long now = addUnsentBytes(-bytes);
		if (now <= this.highWaterMark / 2) {
			Thread waiting = this.writer;
			if (waiting != null) {
				LockSupport.unpark(waiting);
			}
			fireWritable();
		}
	}

	/** Loop: the exchange can no longer be answered: fail the request body, wake a waiting writer, tell listeners. */
	protected final void closed(String why) {
		this.body.fail(new Closed(why));
		Thread waiting = this.writer;
		if (waiting != null) {
			LockSupport.unpark(waiting);
		}
		fireWritable();
		fireConnectionLost();
	}

	/** A request body cut off by the end of its connection or stream; says which. */
	private static final class Closed extends ClosedChannelException {

		private static final long serialVersionUID = 1L;

		private final String why;

		Closed(String why) {
			this.why = why;
		}

		@Override
		public String getMessage() {
			return this.why;
		}

	}

}
