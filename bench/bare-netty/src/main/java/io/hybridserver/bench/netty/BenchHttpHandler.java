package io.hybridserver.bench.netty;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.hybridserver.bench.common.Greeting;
import io.hybridserver.bench.common.Payload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Answers the benchmark's endpoints on the event loop ({@code POST /upload} is {@link UploadHandler}'s). Responses are written as requests arrive and flushed once
 * per read batch, which is as cheap as HTTP/1.1 gets on Netty.
 */
final class BenchHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

	private static final ByteBuf JSON = Unpooled.unreleasableBuffer(
			Unpooled.directBuffer().writeBytes(Greeting.JSON.getBytes(StandardCharsets.UTF_8)).asReadOnly());

	private static final String BYTES_PREFIX = "/bytes/";

	private static final Map<Integer, ByteBuf> SIZED = new ConcurrentHashMap<>();

	private static final CharSequence JSON_TYPE = HttpHeaders.newEntity("application/json");

	private long dateSecond;

	private CharSequence date;

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
		FullHttpResponse response;
		String uri = request.uri();
		if (request.method() == HttpMethod.GET && uri.equals("/json")) {
			response = response(JSON.duplicate(), JSON_TYPE);
		}
		else if (request.method() == HttpMethod.GET && uri.startsWith(BYTES_PREFIX)) {
			ByteBuf body = sized(Payload.parseSize(uri.substring(BYTES_PREFIX.length())));
			response = (body != null) ? response(body, HttpHeaderValues.APPLICATION_OCTET_STREAM) : notFound();
		}
		else if (request.method() == HttpMethod.POST && uri.equals("/echo")) {
			String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
			response = response(request.content().retain(),
					(type != null) ? type : HttpHeaderValues.APPLICATION_OCTET_STREAM);
		}
		else {
			response = notFound();
		}
		response.headers().set(HttpHeaderNames.DATE, date());
		if (HttpUtil.isKeepAlive(request)) {
			ctx.write(response, ctx.voidPromise());
		}
		else {
			response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
		}
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		ctx.flush();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

	private static FullHttpResponse notFound() {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
		response.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
		return response;
	}

	/**
	 * The body of {@code GET /bytes/{size}}: {@link Payload#bytes(int)} in a direct buffer made once per size and
	 * shared, as {@link #JSON} is (the ceiling answers from memory it already has).
	 */
	private static ByteBuf sized(int size) {
		if (size < 0) {
			return null;
		}
		ByteBuf cached = SIZED.get(size);
		if (cached == null) {
			byte[] bytes = Payload.bytes(size);
			if (bytes == null) {
				return null;
			}
			cached = SIZED.computeIfAbsent(size,
					(s) -> Unpooled.unreleasableBuffer(Unpooled.directBuffer(s).writeBytes(bytes).asReadOnly()));
		}
		return cached.duplicate();
	}

	private static FullHttpResponse response(ByteBuf body, CharSequence contentType) {
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, contentType)
			.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
		return response;
	}

	/** The Date header, formatted at most once per second per connection handler. */
	private CharSequence date() {
		long now = System.currentTimeMillis();
		long second = now / 1000;
		if (second != this.dateSecond || this.date == null) {
			this.dateSecond = second;
			this.date = DateFormatter.format(new java.util.Date(now));
		}
		return this.date;
	}

}
