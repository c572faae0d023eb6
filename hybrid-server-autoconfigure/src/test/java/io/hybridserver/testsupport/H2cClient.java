package io.hybridserver.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;

/**
 * A test client for h2c by prior knowledge (the JDK's {@code HttpClient} only upgrades from HTTP/1.1): one TCP
 * connection on Netty's HTTP/2 codec, one child channel per stream. A stream opened with {@code autoRead} off takes
 * no response bytes, so its window is never given back: a client that stops reading.
 */
public final class H2cClient implements AutoCloseable {

	/** One response: status, header fields and the whole body. */
	public record Response(int status, Http2Headers headers, byte[] body, Http2Headers trailers) {

		public String text() {
			return new String(this.body, java.nio.charset.StandardCharsets.UTF_8);
		}

	}

	/** A stream in flight: its channel (to turn reading on) and its response to come. */
	public record Stream(Http2StreamChannel channel, CompletableFuture<Response> response) {
	}

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final Channel channel;

	private final int port;

	private volatile Http2GoAwayFrame goAway;

	public H2cClient(int port) throws InterruptedException {
		this.port = port;
		Bootstrap bootstrap = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.handler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel ch) {
					// The client sends whatever a test asks, also header lists over the server's advertised limit.
					ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().encoderIgnoreMaxHeaderListSize(true).build());
					ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
					ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {

						@Override
						public void channelRead(ChannelHandlerContext ctx, Object msg) {
							if (msg instanceof Http2GoAwayFrame frame) {
								H2cClient.this.goAway = frame.retain();
							}
							io.netty.util.ReferenceCountUtil.release(msg);
						}

					});
				}

			});
		this.channel = bootstrap.connect("127.0.0.1", port).sync().channel();
	}

	/** A GET. */
	public CompletableFuture<Response> get(String path) {
		return send("GET", path, Map.of(), null, true).response();
	}

	/**
	 * Opens a stream and sends a request; the body (if any) goes in frames of at most 16 KiB, as the server's
	 * windows allow.
	 */
	public Stream send(String method, String path, Map<String, String> fields, byte[] body, boolean autoRead) {
		return send(method, path, fields, body, Map.of(), autoRead);
	}

	/** As {@link #send(String, String, Map, byte[], boolean)}, ending the request with these trailer fields if any. */
	public Stream send(String method, String path, Map<String, String> fields, byte[] body,
			Map<String, String> trailers, boolean autoRead) {
		CompletableFuture<Response> response = new CompletableFuture<>();
		Http2StreamChannel stream = new Http2StreamChannelBootstrap(this.channel)
			.handler(new ResponseCollector(response))
			.open()
			.syncUninterruptibly()
			.getNow();
		stream.config().setAutoRead(autoRead);
		Http2Headers head = new DefaultHttp2Headers().method(method)
			.path(path)
			.scheme("http")
			.authority("127.0.0.1:" + this.port);
		fields.forEach(head::add);
		boolean hasBody = body != null && body.length > 0;
		boolean hasTrailers = !trailers.isEmpty();
		stream.write(new DefaultHttp2HeadersFrame(head, !hasBody && !hasTrailers));
		if (hasBody) {
			int chunk = 16 * 1024;
			for (int offset = 0; offset < body.length; offset += chunk) {
				int length = Math.min(chunk, body.length - offset);
				ByteBuf data = Unpooled.wrappedBuffer(body, offset, length);
				stream.write(new DefaultHttp2DataFrame(data, offset + length == body.length && !hasTrailers));
			}
		}
		if (hasTrailers) {
			Http2Headers trailerFields = new DefaultHttp2Headers();
			trailers.forEach(trailerFields::add);
			stream.write(new DefaultHttp2HeadersFrame(trailerFields, true));
		}
		stream.flush();
		return new Stream(stream, response);
	}

	/** The GOAWAY the server sent, if any. */
	public Http2GoAwayFrame goAway() {
		return this.goAway;
	}

	public boolean isOpen() {
		return this.channel.isActive();
	}

	@Override
	public void close() {
		this.channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
		Http2GoAwayFrame frame = this.goAway;
		if (frame != null) {
			frame.release();
		}
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
	}

	private static final class ResponseCollector extends SimpleChannelInboundHandler<Http2StreamFrame> {

		private final CompletableFuture<Response> response;

		private final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private Http2Headers head;

		private Http2Headers trailers;

		ResponseCollector(CompletableFuture<Response> response) {
			this.response = response;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
			if (frame instanceof Http2HeadersFrame headers) {
				CharSequence status = headers.headers().status();
				if (this.head == null && status != null && status.charAt(0) == '1') {
					return;
				}
				if (this.head == null) {
					this.head = headers.headers();
				}
				else {
					this.trailers = headers.headers();
				}
				if (headers.isEndStream()) {
					done();
				}
			}
			else if (frame instanceof Http2DataFrame data) {
				this.body.writeBytes(io.netty.buffer.ByteBufUtil.getBytes(data.content()));
				if (data.isEndStream()) {
					done();
				}
			}
			else if (frame instanceof Http2ResetFrame reset) {
				this.response.completeExceptionally(
						new IOException("Stream reset by the server, error code " + reset.errorCode()));
			}
		}

		private void done() {
			this.response.complete(new Response(Integer.parseInt(this.head.status().toString()), this.head,
					this.body.toByteArray(), this.trailers));
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.response.completeExceptionally(new IOException("The stream closed without a complete response"));
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			this.response.completeExceptionally(cause);
		}

	}

}
