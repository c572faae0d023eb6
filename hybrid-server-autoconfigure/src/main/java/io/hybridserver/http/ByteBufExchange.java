package io.hybridserver.http;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * An {@link Exchange} seen as Netty buffers, for consumers that can take bytes without copying them: the reactive
 * adapter wraps these buffers into Spring {@code DataBuffer}s and back. The servlet container never needs it.
 *
 * <p>Everything here is non-blocking, so it may be called on an event loop (the reactive adapter's event-loop dispatch
 * mode) as well as on a worker. Backpressure is the caller's job: write while {@link #isWritable()}, then wait for
 * {@link #onWritable(Runnable)}; poll the request body while there is demand, then wait for
 * {@link RequestBody#onReadable(Runnable)}.
 */
public interface ByteBufExchange extends Exchange {

	/** The connection's allocator, for response buffers that travel to the socket without a copy. */
	ByteBufAllocator alloc();

	/** The request header fields as Netty holds them. Read-only by contract. */
	HttpHeaders nettyRequestHeaders();

	/** The response header fields as Netty holds them; the same fields as {@link #responseHeaders()}. */
	HttpHeaders nettyResponseHeaders();

	/**
	 * Takes the next received piece of the request body without blocking. Ownership passes to the caller, who must
	 * release it. Taking a piece makes room for the connection to read more.
	 * @return a readable buffer, or {@code null} when nothing is there now or the body has ended
	 *     ({@link RequestBody#isFinished()} tells which)
	 * @throws IOException when the body failed (the connection closed or the body was malformed)
	 */
	ByteBuf pollRequestContent() throws IOException;

	/**
	 * Writes response body bytes without copying and without blocking; commits a chunked 200 first if nothing was
	 * committed. Ownership of {@code content} passes to the exchange, also when this throws.
	 * @throws IOException if the connection is gone, the exchange already ended, or the bytes exceed the declared
	 *     length
	 */
	void write(ByteBuf content) throws IOException;

	/**
	 * Runs {@code task} on the connection's event loop after {@code delay}: a timer that wakes no thread of its own
	 * (Netty only wakes the loop for a deadline earlier than the one it already sleeps to), unlike a scheduler thread
	 * that must be woken, and switched to, for each timer set. The task runs on an I/O thread, so it must only hand
	 * work off. Cancelling the returned future is cheap from any thread.
	 */
	ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);

	/** Whether {@link #writeFile} can send a file from the kernel's page cache (plaintext, uncompressed responses). */
	boolean canWriteFile();

	/**
	 * Sends part of a file as response body bytes without copying them through the JVM (sendfile). Only when
	 * {@link #canWriteFile()}. The file is opened on the event loop when its turn comes and closed once sent.
	 * @throws IOException if the connection is gone, or the exchange already ended
	 */
	void writeFile(File file, long position, long count) throws IOException;

}
