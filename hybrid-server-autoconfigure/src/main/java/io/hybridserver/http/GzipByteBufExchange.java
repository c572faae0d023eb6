package io.hybridserver.http;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * A {@link GzipExchange} over a {@link ByteBufExchange}, so that the reactive adapter gets compression exactly as the
 * servlet container does. Buffers pass through untouched when the response is not compressed; a compressed response
 * reads each buffer into the deflater (compression copies anyway) and never goes to the page cache.
 */
final class GzipByteBufExchange extends GzipExchange implements ByteBufExchange {

	private final ByteBufExchange buffers;

	GzipByteBufExchange(ByteBufExchange delegate, ResponseCompression policy, Mode mode) {
		super(delegate, policy, mode);
		this.buffers = delegate;
	}

	@Override
	public ByteBufAllocator alloc() {
		return this.buffers.alloc();
	}

	@Override
	public HttpHeaders nettyRequestHeaders() {
		return this.buffers.nettyRequestHeaders();
	}

	@Override
	public HttpHeaders nettyResponseHeaders() {
		return this.buffers.nettyResponseHeaders();
	}

	@Override
	public ByteBuf pollRequestContent() throws IOException {
		return this.buffers.pollRequestContent();
	}

	@Override
	public void write(ByteBuf content) throws IOException {
		if (!isCommitted()) {
			commit(200, -1);
		}
		if (!compressing()) {
			this.buffers.write(content);
			return;
		}
		try {
			if (content.hasArray()) {
				write(content.array(), content.arrayOffset() + content.readerIndex(), content.readableBytes());
			}
			else {
				write(ByteBufUtil.getBytes(content), 0, content.readableBytes());
			}
		}
		finally {
			content.release();
		}
	}

	/** Compressed bytes leave as buffers, without the blocking wait of the byte-array path. */
	@Override
	void emit(byte[] bytes, int offset, int length) throws IOException {
		ByteBuf buf = this.buffers.alloc().directBuffer(length);
		buf.writeBytes(bytes, offset, length);
		this.buffers.write(buf);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return this.buffers.schedule(task, delay, unit);
	}

	/** Asked after commit: only then is it known whether this response is compressed. */
	@Override
	public boolean canWriteFile() {
		return !compressing() && this.buffers.canWriteFile();
	}

	@Override
	public void writeFile(File file, long position, long count) throws IOException {
		if (compressing()) {
			throw new IllegalStateException("A compressed response cannot be sent from the page cache");
		}
		this.buffers.writeFile(file, position, count);
	}

}
