package io.hybridserver.http.h1;

import java.util.Iterator;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

import io.hybridserver.http.h1.ResponseHead.Framing;

/**
 * Writes one connection's responses as HTTP/1.1 bytes: the head, the body framed by its length or in chunks, and the
 * end. It remembers the framing of the response in progress, as Netty's {@code HttpResponseEncoder} would, but it is
 * called directly by {@link Http1Connection} instead of sitting in the pipeline, for one reason: a small response then
 * leaves as one buffer. The head and the first body bytes, up to {@value #INLINE_BODY_LIMIT} bytes, are encoded into
 * the same buffer, which is one pipeline write, one entry in the outbound buffer, one iovec and, over TLS, one record
 * that the TLS handler does not have to assemble. (Netty's encoder copies a body into the head's buffer only up to 128
 * bytes, and otherwise writes two buffers through a promise combiner.)
 *
 * <p>Framing follows RFC 9112, 6: no body after 1xx, 204, 205 and 304 (and for 205 a {@code Content-Length: 0}, as
 * RFC 9110, 15.3.6 asks); chunked when the head says {@code Transfer-Encoding: chunked}; otherwise the bytes as they
 * come, delimited by the head's {@code Content-Length} or by the connection's close. Deciding the framing is the
 * exchange's job; this class only carries it out. Loop-confined: one instance per connection, used on its event loop.
 *
 * <p>An exchange's head arrives encoded ({@link #writeEncoded}): the worker that committed it wrote it into a pooled
 * buffer, often with the whole body behind it, and that buffer is written as it is. The heads the I/O tier makes
 * itself (its local answers, {@code 100 Continue}, {@code 101}) come as Netty's {@link HttpResponse} and are encoded
 * here by the same rules ({@link ResponseHead}).
 */
final class ResponseEncoder {

	/** Body bytes up to this size are copied behind the head rather than written as a buffer of their own. */
	static final int INLINE_BODY_LIMIT = 4096;

	/** Hex digits of an int chunk size, the CRLF after them and the CRLF after the data. */
	private static final int CHUNK_OVERHEAD = 8 + 2 + 2;

	private static final byte[] LAST_CHUNK = { '0', '\r', '\n', '\r', '\n' };

	private static final short CRLF = ResponseHead.CRLF;

	private Framing framing = Framing.NONE;

	/** The size of the last head, to size the next one's buffer; heads on one connection tend to look alike. */
	private int lastHeadSize = 256;

	/**
	 * Writes a part of a response: its head (for the first part), body bytes, and its end, as few buffers as that takes.
	 * @param head the response's head, or {@code null} when it was written by an earlier call
	 * @param body body bytes, or {@code null}; released here in all cases
	 * @param end whether the response ends with this part
	 * @param promise completed once all of this part's bytes are written, or {@code null} if nobody waits for them
	 * @return the future of this part's last write, or {@code null} when nothing needed writing or no promise was
	 * given (the bytes then go with the channel's void promise)
	 */
	ChannelFuture write(ChannelHandlerContext ctx, HttpResponse head, ByteBuf body, boolean end, ChannelPromise promise) {
		return write(ctx, head, body, end, null, promise);
	}

	/**
	 * As {@link #write(ChannelHandlerContext, HttpResponse, ByteBuf, boolean, ChannelPromise)}, with the trailer
	 * fields a chunked body ends with (RFC 9112 7.1.2) when {@code end}; ignored for a body that is not chunked.
	 */
	ChannelFuture write(ChannelHandlerContext ctx, HttpResponse head, ByteBuf body, boolean end, HttpHeaders trailers,
			ChannelPromise promise) {
		ByteBuf encoded;
		try {
			int inline = (body != null && body.readableBytes() <= INLINE_BODY_LIMIT) ? body.readableBytes() : 0;
			encoded = (head != null) ? encodeHead(ctx, head, inline + CHUNK_OVERHEAD + LAST_CHUNK.length) : null;
		}
		catch (RuntimeException ex) {
			if (body != null) {
				body.release();
			}
			if (promise != null) {
				promise.tryFailure(ex);
			}
			throw ex;
		}
		return writeEncoded(ctx, encoded, framingAfter(head), body, end, trailers, promise);
	}

	/**
	 * As {@link #write(ChannelHandlerContext, HttpResponse, ByteBuf, boolean, HttpHeaders, ChannelPromise)}, with a
	 * head already encoded (by the worker that answered, see {@link Http1Exchange}): the bytes are written as they are,
	 * and whatever was encoded behind the head (a small body) goes with it.
	 * @param head the encoded head, released here in all cases, or {@code null} when it was written by an earlier call
	 * @param headFraming the framing the head gives the body; ignored without a head
	 */
	ChannelFuture writeEncoded(ChannelHandlerContext ctx, ByteBuf head, Framing headFraming, ByteBuf body,
			boolean end, HttpHeaders trailers, ChannelPromise promise) {
		ByteBuf out = head;
		try {
			startPart(head, headFraming);
			if (body != null && body.isReadable()
					&& (this.framing == Framing.RAW || this.framing == Framing.CHUNKED)) {
				out = (this.framing == Framing.CHUNKED) ? appendChunk(ctx, out, body) : appendRaw(ctx, out, body);
			}
			if (end) {
				if (this.framing == Framing.CHUNKED && trailers != null && !trailers.isEmpty()) {
					out = appendLastChunk(ctx, out, trailers);
				}
				else if (this.framing == Framing.CHUNKED) {
					out = append(ctx, out, LAST_CHUNK);
				}
				this.framing = Framing.NONE;
			}
		}
		catch (RuntimeException ex) {
			if (out != null) {
				out.release();
			}
			if (promise != null) {
				promise.tryFailure(ex);
			}
			throw ex;
		}
		finally {
			if (body != null) {
				body.release();
			}
		}
		return writeOut(ctx, out, promise);
	}

	/**
	 * Writes a file's bytes (zero-copy on a plaintext socket) as the next body part.
	 * @param head the response's head, or {@code null} when it was written by an earlier call
	 * @param promise completed once the region is written
	 */
	void writeRegion(ChannelHandlerContext ctx, HttpResponse head, FileRegion region, ChannelPromise promise) {
		ByteBuf encoded;
		try {
			encoded = (head != null) ? encodeHead(ctx, head, CHUNK_OVERHEAD) : null;
		}
		catch (RuntimeException ex) {
			region.release();
			promise.tryFailure(ex);
			throw ex;
		}
		writeRegionEncoded(ctx, encoded, framingAfter(head), region, promise);
	}

	/**
	 * As {@link #writeRegion(ChannelHandlerContext, HttpResponse, FileRegion, ChannelPromise)} with a head already
	 * encoded, released here in all cases.
	 */
	void writeRegionEncoded(ChannelHandlerContext ctx, ByteBuf head, Framing headFraming, FileRegion region,
			ChannelPromise promise) {
		ByteBuf prefix = head;
		try {
			startPart(head, headFraming);
		}
		catch (RuntimeException ex) {
			if (head != null) {
				head.release();
			}
			region.release();
			promise.tryFailure(ex);
			throw ex;
		}
		if (this.framing == Framing.EMPTY || region.count() == 0) {
			region.release();
			writeOut(ctx, prefix, promise);
			return;
		}
		if (this.framing == Framing.CHUNKED) {
			prefix = (prefix != null) ? prefix : ctx.alloc().directBuffer(CHUNK_OVERHEAD);
			writeChunkSize(prefix, region.count());
		}
		if (prefix != null) {
			ctx.write(prefix, ctx.voidPromise());
		}
		if (this.framing == Framing.CHUNKED) {
			ctx.write(region, ctx.voidPromise());
			ctx.write(ctx.alloc().directBuffer(2).writeShort(CRLF), promise);
		}
		else {
			ctx.write(region, promise);
		}
	}

	/**
	 * Takes the framing of a part's head, if it has one; a part without a head must continue a response.
	 */
	private void startPart(ByteBuf head, Framing headFraming) {
		if (head == null) {
			if (this.framing == Framing.NONE) {
				throw new IllegalStateException("A response part came without a head");
			}
			return;
		}
		if (this.framing != Framing.NONE) {
			throw new IllegalStateException("A new head came before the previous response ended");
		}
		this.framing = headFraming;
	}

	private static ChannelFuture writeOut(ChannelHandlerContext ctx, ByteBuf out, ChannelPromise promise) {
		if (out == null) {
			if (promise == null) {
				return null;
			}
			// Nothing to send, but the promise must complete in order with what was written before.
			return ctx.write(Unpooled.EMPTY_BUFFER, promise);
		}
		if (promise == null) {
			// Nobody waits for it: a void promise spares a promise per write (and, behind TLS, a listener per record).
			ctx.write(out, ctx.voidPromise());
			return null;
		}
		return ctx.write(out, promise);
	}

	// ---- a head of the I/O tier's own (its answers, 100 Continue, 101)

	/** The head encoded into a buffer with room for {@code extra} bytes behind it. */
	private ByteBuf encodeHead(ChannelHandlerContext ctx, HttpResponse head, int extra) {
		if (this.framing != Framing.NONE) {
			throw new IllegalStateException("A new head came before the previous response ended");
		}
		ByteBuf out = ctx.alloc().directBuffer(this.lastHeadSize + 64 + extra);
		try {
			int code = head.status().code();
			HttpHeaders headers = head.headers();
			if (ResponseHead.framingOf(code, headers) == Framing.EMPTY) {
				ResponseHead.sanitizeBodyless(code, headers);
			}
			ResponseHead.encodeStatusLine(head.protocolVersion(), head.status(), out);
			ResponseHead.encodeFields(headers, out);
			out.writeShort(CRLF);
			this.lastHeadSize = out.readableBytes();
			return out;
		}
		catch (RuntimeException ex) {
			out.release();
			throw ex;
		}
	}

	/** What follows a head: an informational one is followed by the real head, not by a body. */
	private static Framing framingAfter(HttpResponse head) {
		if (head == null) {
			return null;
		}
		int code = head.status().code();
		return (code < 200) ? Framing.NONE : ResponseHead.framingOf(code, head.headers());
	}

	// ---- the body

	/** Body bytes as they are: behind what is already encoded if small enough, else as their own buffer. */
	private static ByteBuf appendRaw(ChannelHandlerContext ctx, ByteBuf out, ByteBuf body) {
		if (out != null && body.readableBytes() <= INLINE_BODY_LIMIT) {
			out.writeBytes(body);
			return out;
		}
		if (out != null) {
			ctx.write(out, ctx.voidPromise());
		}
		// Retained because the caller releases the body it passed in.
		return body.retain();
	}

	/** One chunk: its size line, the bytes (copied when small) and the CRLF that closes it. */
	private static ByteBuf appendChunk(ChannelHandlerContext ctx, ByteBuf out, ByteBuf body) {
		int size = body.readableBytes();
		if (size <= INLINE_BODY_LIMIT) {
			ByteBuf chunk = (out != null) ? out : ctx.alloc().directBuffer(size + CHUNK_OVERHEAD + LAST_CHUNK.length);
			writeChunkSize(chunk, size);
			chunk.writeBytes(body);
			chunk.writeShort(CRLF);
			return chunk;
		}
		ByteBuf prefix = (out != null) ? out : ctx.alloc().directBuffer(CHUNK_OVERHEAD);
		ByteBuf suffix;
		try {
			writeChunkSize(prefix, size);
			suffix = ctx.alloc().directBuffer(2 + LAST_CHUNK.length);
		}
		catch (RuntimeException ex) {
			if (prefix != out) {
				prefix.release();
			}
			throw ex;
		}
		// From here nothing throws, so the caller never releases a buffer that was already written.
		ctx.write(prefix, ctx.voidPromise());
		ctx.write(body.retain(), ctx.voidPromise());
		return suffix.writeShort(CRLF);
	}

	/** The last chunk with a trailer section: {@code 0 CRLF}, the fields, {@code CRLF}. */
	private static ByteBuf appendLastChunk(ChannelHandlerContext ctx, ByteBuf out, HttpHeaders trailers) {
		ByteBuf target = (out != null) ? out : ctx.alloc().directBuffer(64);
		target.writeByte('0').writeShort(CRLF);
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = trailers.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> field = it.next();
			ResponseHead.encodeField(field.getKey(), field.getValue(), target);
		}
		return target.writeShort(CRLF);
	}

	private static ByteBuf append(ChannelHandlerContext ctx, ByteBuf out, byte[] bytes) {
		ByteBuf target = (out != null) ? out : ctx.alloc().directBuffer(bytes.length);
		return target.writeBytes(bytes);
	}

	private static void writeChunkSize(ByteBuf out, long size) {
		ResponseHead.writeAscii(Long.toHexString(size), out);
		out.writeShort(CRLF);
	}

}
