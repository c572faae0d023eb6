package io.hybridserver.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

	private final ConcurrentLinkedQueue<ByteBuf> chunks = new ConcurrentLinkedQueue<>();

	private final AtomicInteger buffered = new AtomicInteger();

	private final AtomicBoolean readingPaused = new AtomicBoolean();

	private final int highWaterMark;

	private final long timeoutNanos;

	private final Runnable resumeReading;

	private final Runnable requestContinue;

	private final IntConsumer consumedListener;

	private volatile boolean ended;

	private volatile boolean discarding;

	private volatile IOException failure;

	private volatile Thread reader;

	/** A non-blocking consumer's one-shot "read would not block now" callback. */
	private final AtomicReference<Runnable> readable = new AtomicReference<>();

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
		this.highWaterMark = highWaterMark;
		this.timeoutNanos = timeoutNanos;
		this.resumeReading = resumeReading;
		this.requestContinue = requestContinue;
		this.consumedListener = consumedListener;
	}

	// ---- event loop side

	/** Event loop: takes ownership of a chunk. */
	public void offer(ByteBuf chunk) {
		if (this.discarding || this.failure != null) {
			chunk.release();
			return;
		}
		this.buffered.addAndGet(chunk.readableBytes());
		this.chunks.add(chunk);
		if (this.discarding) {
			// The worker gave up on the body while we were adding: whoever polls a chunk releases it.
			releaseQueued();
		}
		wakeReader();
	}

	/** Event loop: the body is complete. */
	public void end() {
		this.ended = true;
		wakeReader();
	}

	/** Event loop: the body will not complete; the consumer sees {@code cause}. */
	public void fail(IOException cause) {
		if (this.failure == null && !this.ended) {
			this.failure = cause;
		}
		releaseQueued();
		wakeReader();
	}

	/**
	 * Whether the connection may read more for this body. When not, the body is marked paused so that the consumer
	 * resumes reading once it has drained enough. Public for protocols that pause reading per body (HTTP/3's streams).
	 */
	public boolean wantsMore() {
		if (this.discarding || this.buffered.get() < this.highWaterMark) {
			return true;
		}
		this.readingPaused.set(true);
		// Re-check after publishing the pause: the worker may have drained in between and seen no pause.
		return this.buffered.get() < this.highWaterMark && this.readingPaused.compareAndSet(true, false);
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
		return this.buffered.get();
	}

	// ---- worker side

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
			ByteBuf chunk = this.current;
			if (chunk != null) {
				if (chunk.isReadable()) {
					int n = Math.min(length, chunk.readableBytes());
					chunk.readBytes(bytes, offset, n);
					consumed(n);
					if (!chunk.isReadable()) {
						this.current = null;
						chunk.release();
					}
					return n;
				}
				this.current = null;
				chunk.release();
			}
			ByteBuf next = this.chunks.poll();
			if (next != null) {
				this.current = next;
				continue;
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
				next = this.chunks.poll();
				if (next != null) {
					this.current = next;
					continue;
				}
				this.finished = true;
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
			if (this.chunks.isEmpty() && !this.ended && this.failure == null) {
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
		chunk = this.chunks.poll();
		if (chunk == null) {
			IOException failed = this.failure;
			if (failed != null) {
				throw asSeenByConsumer(failed);
			}
			if (!this.ended) {
				return null;
			}
			// end() is published after the last offer(): one more poll sees any chunk that raced with it.
			chunk = this.chunks.poll();
			if (chunk == null) {
				this.finished = true;
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
		this.readable.set(callback);
		// Re-check after publishing: whatever arrived in between woke nobody.
		if (!this.chunks.isEmpty() || isReadableNow()) {
			fireReadable();
		}
	}

	private boolean isReadableNow() {
		ByteBuf chunk = this.current;
		return (chunk != null && chunk.isReadable()) || this.ended || this.failure != null || this.finished;
	}

	private void fireReadable() {
		Runnable callback = this.readable.getAndSet(null);
		if (callback != null) {
			callback.run();
		}
	}

	@Override
	public int available() {
		return this.finished ? 0 : Math.max(0, this.buffered.get());
	}

	@Override
	public boolean isFinished() {
		if (this.finished) {
			return true;
		}
		ByteBuf chunk = this.current;
		return this.ended && this.chunks.isEmpty() && (chunk == null || !chunk.isReadable());
	}

	/** Worker side: the body will not be read any more; release what is held and drop what still arrives. */
	public void discard() {
		this.discarding = true;
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
		int now = this.buffered.addAndGet(-n);
		if (now <= this.highWaterMark / 2 && this.readingPaused.compareAndSet(true, false)) {
			this.resumeReading.run();
		}
	}

	private void releaseQueued() {
		ByteBuf chunk;
		while ((chunk = this.chunks.poll()) != null) {
			this.buffered.addAndGet(-chunk.readableBytes());
			chunk.release();
		}
	}

	private void wakeReader() {
		Thread waiting = this.reader;
		if (waiting != null) {
			LockSupport.unpark(waiting);
		}
		fireReadable();
	}

}
