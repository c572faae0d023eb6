package io.hybridserver.reactive;

import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBuffer;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;

import io.hybridserver.http.ByteBufExchange;

/**
 * Writes a response body publisher to the exchange, one buffer at a time and only as fast as the connection drains:
 * the next buffer is requested while the bytes not yet taken by the socket are under the connection's high-water mark,
 * else once the exchange says it is writable again. The producer's outstanding demand is therefore never more than one
 * buffer, however slow the client.
 *
 * <p>Netty buffers go to the socket as they are; any other {@code DataBuffer} is copied once into a pooled buffer.
 */
final class ResponseBodyWriter implements CoreSubscriber<DataBuffer> {

	private final ByteBufExchange exchange;

	private final Executor continuations;

	private final MonoSink<Void> completion;

	private volatile Subscription upstream;

	private volatile boolean done;

	ResponseBodyWriter(ByteBufExchange exchange, Executor continuations, MonoSink<Void> completion) {
		this.exchange = exchange;
		this.continuations = continuations;
		this.completion = completion;
		completion.onCancel(this::cancel);
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.upstream = subscription;
		subscription.request(1);
	}

	@Override
	public void onNext(DataBuffer buffer) {
		if (this.done) {
			DataBufferUtils.release(buffer);
			return;
		}
		try {
			this.exchange.write(toByteBuf(buffer));
		}
		catch (Exception ex) {
			this.done = true;
			this.upstream.cancel();
			this.completion.error(ex);
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
