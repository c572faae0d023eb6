package io.hybridserver.http.h1;

import java.util.Iterator;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;

import io.hybridserver.http.ArrayHttpHeaders;

/**
 * How an HTTP/1.1 response head becomes bytes (RFC 9112, 4 and 5): the status line, one line per field, the empty
 * line; and the framing its status and fields give the body (RFC 9112, 6). Shared by the two places a head is encoded:
 * a worker encoding its exchange's head straight from the response's header fields ({@link Http1Exchange}), so that
 * the event loop only writes bytes, and the loop encoding its own answers ({@link ResponseEncoder}).
 *
 * <p>Field names and values are written as they were validated when set (Netty's validating headers refuse CR, LF
 * and NUL in values and anything but a token in names), one byte per char.
 */
final class ResponseHead {

	/** How the body after a head is framed. */
	enum Framing {

		/** Between responses: the next call must bring a head. */
		NONE,
		/** The body's bytes as they are. */
		RAW,
		/** Each body part as one chunk; the end as the last chunk. */
		CHUNKED,
		/** No body may follow this head. */
		EMPTY

	}

	static final short CRLF = ('\r' << 8) | '\n';

	private static final short COLON_SPACE = (':' << 8) | ' ';

	private static final byte[] HTTP_1_1 = "HTTP/1.1 ".getBytes(CharsetUtil.US_ASCII);

	private static final byte[] CONNECTION_CLOSE = "connection: close\r\n".getBytes(CharsetUtil.US_ASCII);

	private static final byte[] CONNECTION_KEEP_ALIVE = "connection: keep-alive\r\n".getBytes(CharsetUtil.US_ASCII);

	private ResponseHead() {
	}

	/** The framing a response's status and fields give its body; {@link Framing#EMPTY} for every status without one. */
	static Framing framingOf(int code, HttpHeaders headers) {
		if (code < 200 || code == 204 || code == 205 || code == 304) {
			return Framing.EMPTY;
		}
		// As HttpUtil.isTransferEncodingChunked reads a message's fields.
		return headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)
				? Framing.CHUNKED : Framing.RAW;
	}

	/** RFC 9110: no framing fields on 1xx and 204; 205 says explicitly that nothing follows. */
	static void sanitizeBodyless(int code, HttpHeaders headers) {
		if (code < 200 || code == 204) {
			headers.remove(HttpHeaderNames.CONTENT_LENGTH);
			headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
		}
		else if (code == 205) {
			headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
			headers.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
		}
	}

	static void encodeStatusLine(HttpVersion version, HttpResponseStatus status, ByteBuf out) {
		if (version == HttpVersion.HTTP_1_1) {
			ViewlessCopy.write(HTTP_1_1, 0, HTTP_1_1.length, out);
		}
		else {
			writeAscii(version.text(), out);
			out.writeByte(' ');
		}
		writeAscii(status.codeAsText(), out);
		out.writeByte(' ');
		writeAscii(status.reasonPhrase(), out);
		out.writeShort(CRLF);
	}

	/** Every field, in order. */
	static void encodeFields(HttpHeaders headers, ByteBuf out) {
		if (headers instanceof ArrayHttpHeaders fields) {
			for (int i = 0; i < fields.size(); i++) {
				encodeField(fields.nameAt(i), fields.valueAt(i), out);
			}
			return;
		}
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> header = it.next();
			encodeField(header.getKey(), header.getValue(), out);
		}
	}

	/**
	 * Every field but {@code Connection}, in order; the caller writes the connection's own.
	 * @return the bytes written
	 */
	static int encodeFieldsButConnection(HttpHeaders headers, ByteBuf out) {
		int start = out.writerIndex();
		if (headers instanceof ArrayHttpHeaders fields) {
			// By index: no iterator and no entry per field, on every response a worker encodes.
			for (int i = 0; i < fields.size(); i++) {
				CharSequence name = fields.nameAt(i);
				if (!HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
					encodeField(name, fields.valueAt(i), out);
				}
			}
			return out.writerIndex() - start;
		}
		for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext();) {
			Map.Entry<CharSequence, CharSequence> header = it.next();
			CharSequence name = header.getKey();
			if (!HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name)) {
				encodeField(name, header.getValue(), out);
			}
		}
		return out.writerIndex() - start;
	}

	/** The {@code Connection} values the application set, each as its own line. */
	static void encodeConnectionFields(HttpHeaders headers, ByteBuf out) {
		if (!headers.contains(HttpHeaderNames.CONNECTION)) {
			return;
		}
		for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
			encodeField(HttpHeaderNames.CONNECTION, value, out);
		}
	}

	static void writeConnectionClose(ByteBuf out) {
		ViewlessCopy.write(CONNECTION_CLOSE, 0, CONNECTION_CLOSE.length, out);
	}

	static void writeConnectionKeepAlive(ByteBuf out) {
		ViewlessCopy.write(CONNECTION_KEEP_ALIVE, 0, CONNECTION_KEEP_ALIVE.length, out);
	}

	/** The length of {@code connection: close} and its CRLF. */
	static int connectionCloseLength() {
		return CONNECTION_CLOSE.length;
	}

	static void encodeField(CharSequence name, CharSequence value, ByteBuf out) {
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
	static void writeAscii(CharSequence text, ByteBuf out) {
		if (text instanceof AsciiString ascii) {
			ViewlessCopy.write(ascii.array(), ascii.arrayOffset(), ascii.length(), out);
		}
		else {
			out.writeCharSequence(text, CharsetUtil.US_ASCII);
		}
	}

}
