package io.hybridserver.reactive;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.buffer.ByteBuf;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.MonoSink;

import io.hybridserver.http.ByteBufExchange;

/**
 * Writes a response body publisher to the exchange, one buffer at a time and only as fast as the connection drains:
 * the next buffer is requested while the bytes not yet taken by the socket are under the connection's high-water mark,
 * else once the exchange says it is writable again. The producer's outstanding demand is therefore never more than one
 * buffer, however slow the client.
 *
 * <p>A publisher of buffers that exist already ({@code Flux.just(a, b, c)}, as Spring's SSE writer makes for each
 * event) is pulled instead of asked: the writer fuses with it (Reactor's synchronous fusion) and polls one buffer at a
 * time. Such a source forgets what it holds when cancelled, so a body that ends early (the client left, a write
 * failed) releases the rest by polling it out; asked one at a time and cancelled, those buffers would leak.
 *
 * <p>Netty buffers go to the socket as they are; any other {@code DataBuffer} is copied once into a pooled buffer.
 */
final class ResponseBodyWriter implements CoreSubscriber<DataBuffer> {

	private static final AtomicIntegerFieldUpdater<ResponseBodyWriter> PULLING = AtomicIntegerFieldUpdater
		.newUpdater(ResponseBodyWriter.class, "pulling");

	/**
	 * Synchronous fusion only, and only with a source whose {@code poll()} may run on another thread than the one that
	 * subscribed (the writer goes on from the thread that sees the connection writable again): that leaves out
	 * operators with side effects, which are asked as any publisher is.
	 */
	private static final int FUSION = Fuseable.SYNC | Fuseable.THREAD_BARRIER;

	/** At most this many buffers are polled out of a fused source to release them when the body ends early. */
	private static final int MAX_RELEASED_ON_EARLY_END = 4096;

	private final ByteBufExchange exchange;

	private final Executor continuations;

	private final MonoSink<Void> completion;

	private volatile Subscription upstream;

	/** The fused source, polled by whichever thread holds {@link #pulling}; {@code null} when asked by request(1). */
	private volatile Fuseable.QueueSubscription<DataBuffer> pulled;

	/** Guards {@link #pulled}: the count of pull requests not yet served, as Reactor's work-in-progress counters. */
	private volatile int pulling;

	private volatile boolean done;

	ResponseBodyWriter(ByteBufExchange exchange, Executor continuations, MonoSink<Void> completion) {
		this.exchange = exchange;
		this.continuations = continuations;
		this.completion = completion;
		completion.onCancel(this::cancel);
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onSubscribe(Subscription subscription) {
		this.upstream = subscription;
		if (subscription instanceof Fuseable.QueueSubscription<?> queue && queue.requestFusion(FUSION) == Fuseable.SYNC) {
			this.pulled = (Fuseable.QueueSubscription<DataBuffer>) queue;
			pull();
			return;
		}
		if (this.done) {
			// Cancelled before the body began: ask for nothing.
			subscription.cancel();
			return;
		}
		subscription.request(1);
	}

	@Override
	public void onNext(DataBuffer buffer) {
		if (this.done) {
			DataBufferUtils.release(buffer);
			return;
		}
		if (!write(buffer)) {
			this.upstream.cancel();
			return;
		}
		if (this.exchange.isWritable()) {
			this.upstream.request(1);
		}
		else {
			this.exchange.onWritable(() -> this.continuations.execute(this::requestNext));
		}
	}

	private void requestNext() {
		if (!this.done) {
			this.upstream.request(1);
		}
	}

	@Override
	public void onError(Throwable failure) {
		this.done = true;
		this.completion.error(failure);
	}

	@Override
	public void onComplete() {
		this.done = true;
		this.completion.success();
	}

	private void cancel() {
		this.done = true;
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.cancel();
		}
		if (this.pulled != null) {
			// Whoever holds the source releases what it still has.
			pull();
		}
	}

	/** Writes one buffer; a failure ends the body with it (the caller stops its source). */
	private boolean write(DataBuffer buffer) {
		try {
			this.exchange.write(toByteBuf(buffer));
			return true;
		}
		catch (Exception ex) {
			this.done = true;
			this.completion.error(ex);
			return false;
		}
	}

	// ---- a fused source

	/** Serves a pull request: one thread at a time polls the fused source; the others leave their turn to it. */
	private void pull() {
		if (PULLING.getAndIncrement(this) != 0) {
			return;
		}
		int missed = 1;
		do {
			pullWhileWritable();
			missed = PULLING.addAndGet(this, -missed);
		}
		while (missed != 0);
	}

	private void pullWhileWritable() {
		Fuseable.QueueSubscription<DataBuffer> source = this.pulled;
		while (!this.done) {
			DataBuffer buffer;
			try {
				buffer = source.poll();
			}
			catch (RuntimeException ex) {
				// A fused source signals its end and its failure through poll(), never through onError/onComplete.
				onError(ex);
				break;
			}
			if (buffer == null) {
				onComplete();
				return;
			}
			if (write(buffer) && !this.exchange.isWritable()) {
				this.exchange.onWritable(() -> this.continuations.execute(this::pull));
				return;
			}
		}
		releaseRemaining(source);
	}

	/**
	 * The body ended early: the source is cancelled, and what it still holds, made for this response alone, goes back
	 * now. As Reactor's own operators empty a fused source to discard it, this polls until the source says it is empty.
	 */
	private static void releaseRemaining(Fuseable.QueueSubscription<DataBuffer> source) {
		source.cancel();
		try {
			DataBuffer left;
			int released = 0;
			while ((left = source.poll()) != null) {
				DataBufferUtils.release(left);
				if (++released == MAX_RELEASED_ON_EARLY_END) {
					// A source that never ends (an endless iterable) would hold this thread for ever: give up on it.
					source.clear();
					return;
				}
			}
		}
		catch (RuntimeException ex) {
			// A source that fails while being emptied has nothing more to give back.
		}
	}

	private ByteBuf toByteBuf(DataBuffer buffer) {
		if (buffer instanceof NettyDataBuffer netty) {
			return netty.getNativeBuffer();
		}
		ByteBuf copy = this.exchange.alloc().directBuffer(buffer.readableByteCount());
		try (DataBuffer.ByteBufferIterator readable = buffer.readableByteBuffers()) {
			while (readable.hasNext()) {
				copy.writeBytes(readable.next());
			}
		}
		catch (RuntimeException ex) {
			copy.release();
			throw ex;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
		return copy;
	}

}
