package io.hybridserver.bench.netty;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import io.hybridserver.bench.common.Payload;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code POST /upload} (scenario 14) as the body streams in, ahead of the aggregator: counts and releases each chunk,
 * and answers the count once the body has ended, so that bodies of any size (16 MiB in the sweep) are received without
 * being held. Every other request passes on to {@link BenchHttpHandler} through the aggregator.
 */
final class UploadHandler extends ChannelInboundHandlerAdapter {

	private static final CharSequence TEXT_TYPE = "text/plain";

	/** Whether the request being received is an upload. */
	private boolean uploading;

	private boolean keepAlive;

	private long received;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest request && request.method() == HttpMethod.POST
				&& request.uri().equals("/upload")) {
			this.uploading = true;
			this.keepAlive = HttpUtil.isKeepAlive(request);
			this.received = 0;
		}
		if (!this.uploading) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (msg instanceof HttpContent content) {
			this.received += content.content().readableBytes();
			if (msg instanceof LastHttpContent) {
				this.uploading = false;
				answer(ctx);
			}
		}
		ReferenceCountUtil.release(msg);
	}

	private void answer(ChannelHandlerContext ctx) {
		ByteBuf body = Unpooled.copiedBuffer(Payload.uploaded(this.received), StandardCharsets.US_ASCII);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, TEXT_TYPE)
			.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
			.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
		if (this.keepAlive) {
			ctx.writeAndFlush(response, ctx.voidPromise());
		}
		else {
			response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
		}
	}

}
