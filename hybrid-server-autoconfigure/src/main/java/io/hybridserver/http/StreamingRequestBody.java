package io.hybridserver.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import io.netty.buffer.ByteBuf;

/**
 * A request body flowing from an event loop (producer) to one worker (consumer) through a lock-free queue of chunks.
 *
 * <p>Memory stays bounded by read demand: the connection asks the socket for more only while {@link #wantsMore()}. When
 * it stops for this body it marks itself paused, and the worker that drains the buffer below half resumes it. The
 * pause flag is set before the re-check on the loop and cleared by compare-and-set on either side, so a resume is never
 * lost between the two threads.
 *
 * <p>Protocols with their own flow control (HTTP/2) never pause reading for a body: they are told of every byte the
 * consumer takes instead, and give the peer that much credit back. Public for the protocol packages ({@code http.h2});
 * the application tier sees only {@link RequestBody}.
 */
public final class StreamingRequestBody implements RequestBody {

	// Atomic operations on plain volatile fields rather than an Atomic* object each: fewer objects per request.
	private static final VarHandle BUFFERED;

	private static final VarHandle READING_PAUSED;

	private static final VarHandle READABLE;

	private static final VarHandle READER;

	private static final VarHandle GROWTH;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			BUFFERED = lookup.findVarHandle(StreamingRequestBody.class, "buffered", int.class);
			READING_PAUSED = lookup.findVarHandle(StreamingRequestBody.class, "readingPaused", boolean.class);
			READABLE = lookup.findVarHandle(StreamingRequestBody.class, "readable", Runnable.class);
			READER = lookup.findVarHandle(StreamingRequestBody.class, "reader", Thread.class);
			GROWTH = lookup.findVarHandle(StreamingRequestBody.class, "growth", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** Made by the event loop with the first chunk: most requests (GETs) have none. */
	private volatile ConcurrentLinkedQueue<ByteBuf> chunks;

	private volatile int buffered;

	private volatile boolean readingPaused;

	/** Bytes held past which {@link #wantsMore()} says no: the body's own buffer, or more once it grew. */
	private volatile int highWaterMark;

	/** The most {@link #highWaterMark} may grow to, with the budget's consent. */
	private final int maxHighWaterMark;

	private final RequestBodyBudget budget;

	/** Bytes taken from the budget and not yet given back; given back once, by whoever swaps it to 0. */
	private volatile int growth;

	/** The body will hold nothing more: growth taken after this is given back at once. */
	private volatile boolean closed;

	/** Event loop only: a wake-up of the reader held back while more bytes are on their way. */
	private boolean wakeHeld;

	private final long timeoutNanos;

	private final Runnable resumeReading;

	private final Runnable requestContinue;

	private final IntConsumer consumedListener;

	private volatile boolean ended;

	private volatile boolean discarding;

	private volatile IOException failure;

	private volatile Thread reader;

	/** A non-blocking consumer's one-shot "read would not block now" callback. */
	private volatile Runnable readable;

	// Worker-side state: only the consuming thread touches these.
	private ByteBuf current;

	private boolean finished;

	private boolean continueRequested;

	public StreamingRequestBody(int highWaterMark, long timeoutNanos, Runnable resumeReading,
			Runnable requestContinue) {
		this(highWaterMark, timeoutNanos, resumeReading, requestContinue, null);
	}

	/**
	 * @param highWaterMark bytes held for the consumer past which {@link #wantsMore()} says no
	 * @param timeoutNanos the longest wait of a blocking {@link #read} for the next bytes
	 * @param resumeReading called by the consumer once it drained a paused body below half the mark
	 * @param requestContinue called once, on the consumer's first attempt to read (the interim 100 Continue)
	 * @param consumedListener told, on the consumer's thread, of every byte count taken, or {@code null}
	 */
	public StreamingRequestBody(int highWaterMark, long timeoutNanos, Runnable resumeReading,
			Runnable requestContinue, IntConsumer consumedListener) {
		this(highWaterMark, highWaterMark, RequestBodyBudget.NONE, timeoutNanos, resumeReading, requestContinue,
				consumedListener);
	}

	/**
	 * A body whose buffer may grow, while the body streams in faster than it is read, from {@code highWaterMark} up
	 * to {@code maxHighWaterMark} if {@code budget} allows.
	 * @param highWaterMark bytes held for the consumer past which {@link #wantsMore()} says no
	 * @param maxHighWaterMark the most the mark may grow to
	 * @param budget the server-wide allowance the growth is taken from
	 * @param timeoutNanos the longest wait of a blocking {@link #read} for the next bytes
	 * @param resumeReading called by the consumer once it drained a paused body below half the mark
	 * @param requestContinue called once, on the consumer's first attempt to read (the interim 100 Continue)
	 * @param consumedListener told, on the consumer's thread, of every byte count taken, or {@code null}
	 */
	public StreamingRequestBody(int highWaterMark, int maxHighWaterMark, RequestBodyBudget budget,
			long timeoutNanos, Runnable resumeReading, Runnable requestContinue, IntConsumer consumedListener) {
		this.highWaterMark = highWaterMark;
		this.maxHighWaterMark = Math.max(highWaterMark, maxHighWaterMark);
		this.budget = budget;
		this.timeoutNanos = timeoutNanos;
		this.resumeReading = resumeReading;
		this.requestContinue = requestContinue;
		this.consumedListener = consumedListener;
	}

	// ---- event loop side

	/** Event loop: takes ownership of a chunk, and wakes a waiting reader. */
	public void offer(ByteBuf chunk) {
		offer(chunk, false);
	}

	/**
	 * Event loop: takes ownership of a chunk. When {@code moreOnTheWay} (the socket read that brought it filled its
	 * buffer, so the socket most likely holds more) and less than half the mark is buffered, a waiting reader is left
	 * asleep: the loop hands it more first, and the caller either wakes it with {@link #releaseHeldWake()} when its
	 * reads end or keeps holding while they go on. A reader woken per socket read drains each chunk faster than the
	 * loop reads the next and parks again: a 16 MiB upload cost ~480 thread switches that way.
	 */
	public void offer(ByteBuf chunk, boolean moreOnTheWay) {
		if (this.discarding || this.failure != null) {
			chunk.release();
			return;
		}
		int now = addBuffered(chunk.readableBytes());
		ConcurrentLinkedQueue<ByteBuf> queue = this.chunks;
		if (queue == null) {
			queue = new ConcurrentLinkedQueue<>();
			this.chunks = queue;
		}
		queue.add(chunk);
		if (this.discarding) {
			// The worker gave up on the body while we were adding: whoever polls a chunk releases it.
			releaseQueued();
		}
		else if (moreOnTheWay && now < this.highWaterMark / 2) {
			this.wakeHeld = true;
			return;
		}
		this.wakeHeld = false;
		wakeReader();
	}

	/** Event loop: whether a wake-up of the reader is held back by {@link #offer(ByteBuf, boolean)}. */
	public boolean holdsWake() {
		return this.wakeHeld;
	}

	/**
	 * Whether a consumer waits for bytes now: parked in a blocking read, or with a readable callback registered. One
	 * that comes later finds the buffered chunks and does not wait, so a held wake-up matters only while this holds.
	 */
	public boolean hasWaitingReader() {
		return this.reader != null || this.readable != null;
	}

	/** Event loop: wakes the reader if {@link #offer(ByteBuf, boolean)} held its wake-up back. */
	public void releaseHeldWake() {
		if (this.wakeHeld) {
			this.wakeHeld = false;
			wakeReader();
		}
	}

	/** Event loop: the body is complete. */
	public void end() {
		this.ended = true;
		this.wakeHeld = false;
		wakeReader();
	}

	/** Event loop: the body will not complete; the consumer sees {@code cause}. */
	public void fail(IOException cause) {
		if (this.failure == null && !this.ended) {
			this.failure = cause;
		}
		this.wakeHeld = false;
		releaseQueued();
		close();
		wakeReader();
	}

	/**
	 * Whether the connection may read more for this body. When not, the body is marked paused so that the consumer
	 * resumes reading once it has drained enough. Public for protocols that pause reading per body (HTTP/3's streams).
	 */
	public boolean wantsMore() {
		if (this.discarding || this.buffered < this.highWaterMark || grow()) {
			return true;
		}
		this.readingPaused = true;
		// Re-check after publishing the pause: the worker may have drained in between and seen no pause.
		return this.buffered < this.highWaterMark && READING_PAUSED.compareAndSet(this, true, false);
	}

	/**
	 * Event loop: the body filled its buffer; takes the growth up to the largest mark from the budget, once per body.
	 * @return whether the mark grew
	 */
	private boolean grow() {
		int extra = this.maxHighWaterMark - this.highWaterMark;
		if (extra <= 0 || this.closed || !this.budget.tryTake(extra)) {
			return false;
		}
		this.growth = extra;
		this.highWaterMark = this.maxHighWaterMark;
		if (this.closed) {
			// The body ended for its reader meanwhile: give it back now (once, whichever of us swaps it).
			giveBackGrowth();
		}
		return true;
	}

	/** The body holds nothing more for its reader: its growth goes back to the budget. */
	private void close() {
		this.closed = true;
		giveBackGrowth();
	}

	private void giveBackGrowth() {
		int extra = (int) GROWTH.getAndSet(this, 0);
		if (extra > 0) {
			this.budget.giveBack(extra);
		}
	}

	/** Bytes past which the connection stops reading for this body now (tests, diagnostics). */
	public int highWaterMark() {
		return this.highWaterMark;
	}

	/** Whether the whole body has arrived (not necessarily been read). */
	public boolean isEnded() {
		return this.ended;
	}

	/** Whether the body failed: the connection broke, or the client sent it too slowly. */
	public boolean hasFailed() {
		return this.failure != null;
	}

	/** Bytes received and not yet consumed. */
	public int buffered() {
		return this.buffered;
	}

	// ---- worker side

	/**
	 * Copies from as many buffered chunks as fit, straight from the pooled buffers into the caller's array: a caller
	 * asking for the whole body (Spring's {@code readNBytes}) gets all that has arrived in one call, and the bytes are
	 * counted off the buffer once per call, not once per chunk. Blocks only while nothing at all has arrived.
	 */
	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
		if (this.finished) {
			return -1;
		}
		if (length == 0) {
			return 0;
		}
		if (!this.continueRequested) {
			this.continueRequested = true;
			this.requestContinue.run();
		}
		long deadline = 0;
		while (true) {
			int n = copyBuffered(bytes, offset, length);
			if (n > 0) {
				consumed(n);
				return n;
			}
			IOException failed = this.failure;
			if (failed instanceof RequestBodyTimeoutException) {
				// The client was too slow: the reader sees a timeout of its own read, as a socket would report it.
				throw new RequestBodyTimeoutException(failed.getMessage());
			}
			if (failed != null) {
				throw new IOException(failed.getMessage(), failed);
			}
			if (this.ended) {
				// end() is published after the last offer(): one more poll sees any chunk that raced with it.
				ByteBuf next = pollChunk();
				if (next != null) {
					this.current = next;
					continue;
				}
				finish();
				return -1;
			}
			long now = System.nanoTime();
			if (deadline == 0) {
				deadline = now + this.timeoutNanos;
			}
			long remaining = deadline - now;
			if (remaining <= 0) {
				throw new RequestBodyTimeoutException("No request body data arrived within "
						+ TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos) + " ms");
			}
			this.reader = Thread.currentThread();
			if (noChunks() && !this.ended && this.failure == null) {
				LockSupport.parkNanos(this, remaining);
			}
			this.reader = null;
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				throw new InterruptedIOException("Interrupted while waiting for the request body");
			}
		}
	}

	/**
	 * Copies what is buffered now, chunk after chunk, up to {@code length} bytes; releases every chunk it empties.
	 * @return the bytes copied, 0 when nothing is buffered
	 */
	private int copyBuffered(byte[] bytes, int offset, int length) {
		int copied = 0;
		while (copied < length) {
			ByteBuf chunk = this.current;
			if (chunk == null) {
				chunk = pollChunk();
				if (chunk == null) {
					break;
				}
				this.current = chunk;
			}
			int n = Math.min(length - copied, chunk.readableBytes());
			chunk.readBytes(bytes, offset + copied, n);
			copied += n;
			if (!chunk.isReadable()) {
				this.current = null;
				chunk.release();
			}
		}
		return copied;
	}

	/**
	 * Worker side, non-blocking: takes the next piece of the body, passing its ownership to the caller.
	 * @return a readable buffer, or {@code null} when none is there now or the body has ended ({@link #isFinished()})
	 * @throws IOException when the body failed
	 */
	public ByteBuf poll() throws IOException {
		if (this.finished) {
			return null;
		}
		if (!this.continueRequested) {
			this.continueRequested = true;
			this.requestContinue.run();
		}
		ByteBuf chunk = this.current;
		if (chunk != null) {
			this.current = null;
			if (chunk.isReadable()) {
				consumed(chunk.readableBytes());
				return chunk;
			}
			chunk.release();
		}
		chunk = pollChunk();
		if (chunk == null) {
			IOException failed = this.failure;
			if (failed != null) {
				throw asSeenByConsumer(failed);
			}
			if (!this.ended) {
				return null;
			}
			// end() is published after the last offer(): one more poll sees any chunk that raced with it.
			chunk = pollChunk();
			if (chunk == null) {
				finish();
				return null;
			}
		}
		consumed(chunk.readableBytes());
		return chunk;
	}

	/**
	 * The failure as thrown to a non-blocking consumer: a client that left is an {@link EOFException}, the type Spring
	 * recognises as a disconnected client (logged quietly, not as a server error).
	 */
	private static IOException asSeenByConsumer(IOException failed) {
		if (failed instanceof EOFException || failed instanceof ClosedChannelException) {
			EOFException eof = new EOFException(failed.getMessage());
			eof.initCause(failed);
			return eof;
		}
		return new IOException(failed.getMessage(), failed);
	}

	@Override
	public void onReadable(Runnable callback) {
		if (!this.continueRequested) {
			// A non-blocking consumer never calls read() before data comes: invite the body now.
			this.continueRequested = true;
			this.requestContinue.run();
		}
		this.readable = callback;
		// Re-check after publishing: whatever arrived in between woke nobody.
		if (!noChunks() || isReadableNow()) {
			fireReadable();
		}
	}

	private boolean isReadableNow() {
		ByteBuf chunk = this.current;
		return (chunk != null && chunk.isReadable()) || this.ended || this.failure != null || this.finished;
	}

	private void fireReadable() {
		Runnable callback = (Runnable) READABLE.getAndSet(this, (Runnable) null);
		if (callback != null) {
			callback.run();
		}
	}

	@Override
	public int available() {
		return this.finished ? 0 : Math.max(0, this.buffered);
	}

	@Override
	public boolean isFinished() {
		if (this.finished) {
			return true;
		}
		ByteBuf chunk = this.current;
		return this.ended && noChunks() && (chunk == null || !chunk.isReadable());
	}

	/** Worker side: the reader saw the end of the body. */
	private void finish() {
		this.finished = true;
		close();
	}

	/** Worker side: the body will not be read any more; release what is held and drop what still arrives. */
	public void discard() {
		this.discarding = true;
		close();
		ByteBuf chunk = this.current;
		if (chunk != null) {
			this.current = null;
			chunk.release();
		}
		releaseQueued();
	}

	private void consumed(int n) {
		if (this.consumedListener != null) {
			this.consumedListener.accept(n);
		}
		int now = addBuffered(-n);
		if (now <= this.highWaterMark / 2 && READING_PAUSED.compareAndSet(this, true, false)) {
			this.resumeReading.run();
		}
	}

	private ByteBuf pollChunk() {
		ConcurrentLinkedQueue<ByteBuf> queue = this.chunks;
		return (queue != null) ? queue.poll() : null;
	}

	private boolean noChunks() {
		ConcurrentLinkedQueue<ByteBuf> queue = this.chunks;
		return queue == null || queue.isEmpty();
	}

	private int addBuffered(int delta) {
		return (int) BUFFERED.getAndAdd(this, delta) + delta;
	}

	private void releaseQueued() {
		ByteBuf chunk;
		while ((chunk = pollChunk()) != null) {
			addBuffered(-chunk.readableBytes());
			chunk.release();
		}
	}

	/**
	 * Wakes a reader that waits, once per wait: the loop that claims the waiting thread unparks it, and the chunks that
	 * follow in the same read find nobody to wake (each unpark takes the parked thread's lock, and a woken worker would
	 * preempt the loop that is still handing it chunks on a machine with few cores). Nothing is signalled to a reader
	 * that is not waiting: it finds the chunks when it next reads.
	 */
	private void wakeReader() {
		if (this.reader != null) {
			Thread waiting = (Thread) READER.getAndSet(this, (Thread) null);
			if (waiting != null) {
				LockSupport.unpark(waiting);
			}
		}
		if (this.readable != null) {
			fireReadable();
		}
	}

}
