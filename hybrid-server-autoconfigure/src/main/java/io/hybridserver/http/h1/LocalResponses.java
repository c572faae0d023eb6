package io.hybridserver.http.h1;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import io.hybridserver.http.HttpDate;

/**
 * The small plain-text answers the I/O tier gives by itself (400, 408, 414, 417, 431, 503, 505): what went wrong in one
 * sentence, never a stack trace, and {@code Connection: close}, because after a protocol error the byte stream cannot
 * be trusted to be in step.
 */
final class LocalResponses {

	private LocalResponses() {
	}

	static FullHttpResponse plain(ByteBufAllocator allocator, HttpResponseStatus status, String message,
			String serverHeader) {
		byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
		ByteBuf body = allocator.buffer(text.length).writeBytes(text);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, text.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
			.set(HttpHeaderNames.DATE, HttpDate.now());
		if (serverHeader != null) {
			response.headers().set(HttpHeaderNames.SERVER, serverHeader);
		}
		return response;
	}

}
