package io.hybridserver.websocket;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;

/**
 * One connection's frames on their way out: queued from any thread (a lock-free queue, many producers), written on
 * the connection's event loop in batches, each batch flushed once.
 *
 * <p>The bytes queued or written and not yet taken by the socket are counted against the send buffer
 * ({@link WebSocketSettings#sendBuffer()}); a frame completes, in the order sent, when the socket has taken it, and one
 * the socket has not taken within its send timeout fails and closes the connection ({@code timedOut}). One timer per
 * connection watches the oldest frame in flight, not one per frame.
 */
final class OutboundFrames {

	/** A frame on its way; {@code result} is null for a send nobody waits on. */
	private record Queued(OutboundFrame frame, int size, CompletableFuture<Void> result, long timeoutNanos,
			long deadlineNanos) {
	}

	private final long sendBuffer;

	private final Runnable timedOut;

	private final Queue<Queued> queue = new ConcurrentLinkedQueue<>();

	/** Set while the connection is in its lane (or about to be), so that it joins the lane once per batch. */
	private final AtomicBoolean inLane = new AtomicBoolean();

	private final AtomicLong unsent = new AtomicLong();

	private final Object room = new Object();

	private final AtomicInteger roomWaiters = new AtomicInteger();

	private volatile ChannelHandlerContext ctx;

	private volatile OutboundLane lane;

	// Loop state.
	private final List<Queued> batch = new ArrayList<>();

	private final List<ChannelFuture> batchWrites = new ArrayList<>();

	/** Written and not yet taken by the socket, oldest first (Netty completes writes in order). */
	private final ArrayDeque<Queued> inFlight = new ArrayDeque<>();

	private ScheduledFuture<?> timer;

	/** The frame the timer watches. */
	private Queued watched;

	/** Set while {@link #writeQueued} runs, which a completion it causes may call again. */
	private boolean writing;

	/** Set when the connection's close frame goes out: nothing may follow it (RFC 6455, 5.5.1). */
	private volatile boolean refusing;

	/**
	 * @param timedOut closes the connection when a frame was not taken within its send timeout
	 */
	OutboundFrames(long sendBuffer, Runnable timedOut) {
		this.sendBuffer = sendBuffer;
		this.timedOut = timedOut;
	}

	/** On the loop, when the connection is installed. */
	void attach(ChannelHandlerContext ctx, OutboundLane lane) {
		this.ctx = ctx;
		this.lane = lane;
	}

	/**
	 * Whether a frame of {@code size} bytes fits: nothing is waiting for the socket, or it fits beside what is (so a
	 * frame larger than the buffer is still taken when the buffer is empty).
	 */
	boolean hasRoom(int size) {
		long waiting = this.unsent.get();
		return waiting == 0 || waiting + size <= this.sendBuffer;
	}

	/**
	 * Queues a frame from any thread; on the loop it is written and flushed at once, elsewhere the loop's lane writes
	 * it with whatever else is queued.
	 */
	void enqueue(OutboundFrame frame, CompletableFuture<Void> result, long timeoutNanos) {
		int size = frame.payload().length;
		this.unsent.addAndGet(size);
		this.queue.add(new Queued(frame, size, result, timeoutNanos, System.nanoTime() + timeoutNanos));
		ChannelHandlerContext context = this.ctx;
		if (context.executor().inEventLoop()) {
			writeQueued();
		}
		else if (this.inLane.compareAndSet(false, true)) {
			this.lane.submit(this);
		}
	}

	/**
	 * On the loop: writes every queued frame, flushes once, and completes what the socket took. A completion may send
	 * again (a reactive publisher's next message): such a frame joins this run rather than starting another.
	 */
	void writeQueued() {
		if (this.writing) {
			return;
		}
		this.writing = true;
		try {
			do {
				this.inLane.set(false);
				writeBatch();
			}
			while (!this.refusing && !this.queue.isEmpty());
			if (this.refusing) {
				dropQueued(new ClosedChannelException());
			}
		}
		finally {
			this.writing = false;
		}
	}

	private void writeBatch() {
		ChannelHandlerContext context = this.ctx;
		Queued next;
		// A write may fail at once and close the connection (its close frame out first): nothing after that.
		while (!this.refusing && (next = this.queue.poll()) != null) {
			this.batch.add(next);
			this.batchWrites.add(context.write(next.frame().toNetty()));
		}
		if (this.batch.isEmpty()) {
			return;
		}
		context.flush();
		for (int i = 0; i < this.batch.size(); i++) {
			Queued queued = this.batch.get(i);
			ChannelFuture write = this.batchWrites.get(i);
			if (write.isDone()) {
				written(queued, write.cause());
			}
			else {
				this.inFlight.add(queued);
				write.addListener((done) -> {
					if (this.inFlight.peekFirst() == queued) {
						this.inFlight.pollFirst();
					}
					else {
						this.inFlight.remove(queued);
					}
					written(queued, done.cause());
				});
			}
		}
		this.batch.clear();
		this.batchWrites.clear();
		watchOldest();
	}

	/** On the loop, before the connection's close frame: what was sent before it goes first, nothing after. */
	void closing() {
		writeQueued();
		this.refusing = true;
	}

	/** On the loop, when the connection has ended: nothing queued will be written. */
	void ended() {
		this.refusing = true;
		if (this.timer != null) {
			this.timer.cancel(false);
			this.timer = null;
		}
		dropQueued(new ClosedChannelException());
		synchronized (this.room) {
			this.room.notifyAll();
		}
	}

	/** Fails every queued frame with {@code cause}. Safe from any thread. */
	void dropQueued(IOException cause) {
		Queued queued;
		while ((queued = this.queue.poll()) != null) {
			written(queued, cause);
		}
	}

	/**
	 * Waits up to {@code nanos} for room for {@code size} bytes (or the end of the connection, which wakes waiters).
	 */
	void awaitRoom(int size, long nanos) throws InterruptedIOException {
		this.roomWaiters.incrementAndGet();
		try {
			synchronized (this.room) {
				if (!hasRoom(size) && !this.refusing) {
					TimeUnit.NANOSECONDS.timedWait(this.room, nanos);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while waiting to send a WebSocket message");
		}
		finally {
			this.roomWaiters.decrementAndGet();
		}
	}

	/** A frame has left (or failed, {@code failure} not null): its bytes no longer count against the buffer. */
	private void written(Queued queued, Throwable failure) {
		this.unsent.addAndGet(-queued.size());
		if (this.roomWaiters.get() > 0) {
			synchronized (this.room) {
				this.room.notifyAll();
			}
		}
		CompletableFuture<Void> result = queued.result();
		if (result == null) {
			return;
		}
		if (failure == null) {
			result.complete(null);
		}
		else {
			result.completeExceptionally((failure instanceof IOException) ? failure : new IOException(failure));
		}
	}

	/** Watches the oldest frame in flight, unless the timer already runs (it moves on to the next when it fires). */
	private void watchOldest() {
		Queued oldest = this.inFlight.peekFirst();
		if (this.timer != null || oldest == null) {
			return;
		}
		this.watched = oldest;
		this.timer = this.ctx.executor()
			.schedule(this::timerFired, Math.max(0, oldest.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
	}

	private void timerFired() {
		Queued expired = this.watched;
		this.timer = null;
		this.watched = null;
		if (expired != null && this.inFlight.peekFirst() == expired) {
			// Still not taken by the socket: a client that takes nothing for the whole send timeout is gone for our
			// purposes. Half a frame cannot be taken back, so the connection closes (which fails the rest).
			if (expired.result() != null) {
				expired.result().completeExceptionally(new SocketTimeoutException("The client took no WebSocket bytes for "
						+ TimeUnit.NANOSECONDS.toMillis(expired.timeoutNanos()) + " ms"));
			}
			this.timedOut.run();
			return;
		}
		watchOldest();
	}

}
