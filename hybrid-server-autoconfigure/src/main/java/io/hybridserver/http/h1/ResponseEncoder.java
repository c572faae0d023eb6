package io.hybridserver.http.h1;

import java.util.Iterator;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;

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
 */
final class ResponseEncoder {

	/** Body bytes up to this size are copied behind the head rather than written as a buffer of their own. */
	static final int INLINE_BODY_LIMIT = 4096;

	/** Hex digits of an int chunk size, the CRLF after them and the CRLF after the data. */
	private static final int CHUNK_OVERHEAD = 8 + 2 + 2;

	private static final byte[] LAST_CHUNK = { '0', '\r', '\n', '\r', '\n' };

	private static final short CRLF = ('\r' << 8) | '\n';

	private static final short COLON_SPACE = (':' << 8) | ' ';

	private enum Framing {

		/** Between responses: the next call must bring a head. */
		NONE,
		/** The body's bytes as they are. */
		RAW,
		/** Each body part as one chunk; the end as the last chunk. */
		CHUNKED,
		/** No body may follow this head. */
		EMPTY

	}

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
		ByteBuf out = null;
		try {
			int inline = (body != null && body.readableBytes() <= INLINE_BODY_LIMIT) ? body.readableBytes() : 0;
			out = startPart(ctx, head, inline + CHUNK_OVERHEAD + LAST_CHUNK.length);
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
		ByteBuf prefix;
		try {
			prefix = startPart(ctx, head, CHUNK_OVERHEAD);
		}
		catch (RuntimeException ex) {
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
	 * The buffer a part starts with: its head encoded, with room for {@code extra} bytes behind it; {@code null} for a
	 * part without a head, which must then continue a response.
	 */
	private ByteBuf startPart(ChannelHandlerContext ctx, HttpResponse head, int extra) {
		if (head == null) {
			if (this.framing == Framing.NONE) {
				throw new IllegalStateException("A response part came without a head");
			}
			return null;
		}
		ByteBuf out = ctx.alloc().directBuffer(this.lastHeadSize + 64 + extra);
		try {
			encodeHead(head, out);
			return out;
		}
		catch (RuntimeException ex) {
			out.release();
			throw ex;
		}
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

	// ---- the head

	private void encodeHead(HttpResponse head, ByteBuf out) {
		if (this.framing != Framing.NONE) {
			throw new IllegalStateException("A new head came before the previous response ended");
		}
		int start = out.writerIndex();
		HttpResponseStatus status = head.status();
		HttpHeaders headers = head.headers();
		Framing framing = framingOf(status, head);
		if (framing == Framing.EMPTY) {
			sanitizeBodyless(status, headers);
		}
		encodeStatusLine(head.protocolVersion(), status, out);
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> header = it.next();
			encodeHeader(header.getKey(), header.getValue(), out);
		}
		out.writeShort(CRLF);
		this.lastHeadSize = out.writerIndex() - start;
		// An informational head is followed by the real one, not by a body.
		this.framing = (status.codeClass() == HttpStatusClass.INFORMATIONAL) ? Framing.NONE : framing;
	}

	private static Framing framingOf(HttpResponseStatus status, HttpResponse head) {
		int code = status.code();
		if (code < 200 || code == 204 || code == 205 || code == 304) {
			return Framing.EMPTY;
		}
		return HttpUtil.isTransferEncodingChunked(head) ? Framing.CHUNKED : Framing.RAW;
	}

	/** RFC 9110: no framing headers on 1xx and 204; 205 says explicitly that nothing follows. */
	private static void sanitizeBodyless(HttpResponseStatus status, HttpHeaders headers) {
		int code = status.code();
		if (code < 200 || code == 204) {
			headers.remove(HttpHeaderNames.CONTENT_LENGTH);
			headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
		}
		else if (code == 205) {
			headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
			headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
		}
	}

	private static void encodeStatusLine(HttpVersion version, HttpResponseStatus status, ByteBuf out) {
		writeAscii(version.text(), out);
		out.writeByte(' ');
		writeAscii(status.codeAsText(), out);
		out.writeByte(' ');
		writeAscii(status.reasonPhrase(), out);
		out.writeShort(CRLF);
	}

	private static void encodeHeader(CharSequence name, CharSequence value, ByteBuf out) {
		out.ensureWritable(name.length() + value.length() + 4);
		writeAscii(name, out);
		out.writeShort(COLON_SPACE);
		writeAscii(value, out);
		out.writeShort(CRLF);
	}

	/**
	 * One byte per char, as Netty's encoder (and Tomcat) write fields: a char of ISO-8859-1 as its byte, the field
	 * charset RFC 9110, 5.5 allows for compatibility, and any other char as '?' rather than bytes the client would have
	 * to guess the charset of. Names and values were validated when they were set.
	 */
	private static void writeAscii(CharSequence text, ByteBuf out) {
		if (text instanceof AsciiString ascii) {
			out.ensureWritable(ascii.length());
			ByteBufUtil.copy(ascii, 0, out, out.writerIndex(), ascii.length());
			out.writerIndex(out.writerIndex() + ascii.length());
		}
		else {
			out.writeCharSequence(text, CharsetUtil.US_ASCII);
		}
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
			encodeHeader(field.getKey(), field.getValue(), target);
		}
		return target.writeShort(CRLF);
	}

	private static ByteBuf append(ChannelHandlerContext ctx, ByteBuf out, byte[] bytes) {
		ByteBuf target = (out != null) ? out : ctx.alloc().directBuffer(bytes.length);
		return target.writeBytes(bytes);
	}

	private static void writeChunkSize(ByteBuf out, long size) {
		writeAscii(Long.toHexString(size), out);
		out.writeShort(CRLF);
	}

}
