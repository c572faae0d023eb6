package io.hybridserver.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.quic.QuicStreamChannel;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.testsupport.Http3TestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/3 frames that reach the server in pieces: the bytes of a request stream (a HEADERS frame, DATA frames, the FIN)
 * are sent in two pieces cut at every byte boundary, one stream per cut, and once a byte at a time, each piece in its
 * own QUIC packet a few milliseconds after the previous one. Every request must be read whole, answered, and report
 * the same body length. Netty's frame codec and {@code H3Stream} take the pieces over a real QUIC connection: the
 * codec cannot run on an {@code EmbeddedChannel} without a QUIC parent, so the cuts are made on the client's side of
 * the socket instead.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.key-alias=server", "server.hybrid.http3.enabled=true" })
class Http3FramesInPiecesTest {

	private static final long PAUSE_MILLIS = 3;

	@LocalServerPort
	int port;

	private Http3TestClient client;

	@BeforeEach
	void connect() throws Exception {
		this.client = Http3TestClient.connect(this.port);
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@Test
	void bodylessGetCutAtEveryByte() throws Exception {
		Http3Headers head = head("GET", "/length");
		assertCutEverywhere(head, new byte[0][], "-1 -1 0");
	}

	@Test
	void postWithTwoDataFramesCutAtEveryByte() throws Exception {
		Http3Headers head = head("POST", "/length").add("content-length", "12");
		byte[][] data = { "hello ".getBytes(StandardCharsets.US_ASCII), "world!".getBytes(StandardCharsets.US_ASCII) };
		assertCutEverywhere(head, data, "12 12 12");
	}

	private void assertCutEverywhere(Http3Headers head, byte[][] data, String expected) throws Exception {
		int length = send(head, data, new int[0]).wireLength;
		assertThat(length).as("the request's bytes on the wire").isGreaterThan(4);
		for (int cut = 1; cut < length; cut++) {
			Sent sent = send(head, data, new int[] { cut });
			assertThat(sent.response.done().get(30, TimeUnit.SECONDS).text()).as("cut after byte " + cut)
				.isEqualTo(expected);
			assertThat(sent.response.status()).isEqualTo(200);
		}
		int[] everyByte = new int[length - 1];
		Arrays.setAll(everyByte, (i) -> i + 1);
		Sent bytewise = send(head, data, everyByte);
		assertThat(bytewise.response.done().get(30, TimeUnit.SECONDS).text()).as("a byte at a time")
			.isEqualTo(expected);
	}

	private Sent send(Http3Headers head, byte[][] data, int[] cuts) throws Exception {
		Http3TestClient.Response response = new Http3TestClient.Response();
		PieceWriter pieces = new PieceWriter();
		QuicStreamChannel stream = this.client.openStream(response, pieces);
		stream.write(new DefaultHttp3HeadersFrame(copy(head)));
		for (byte[] part : data) {
			stream.write(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(part)));
		}
		stream.flush();
		int length = stream.eventLoop().submit(pieces::collected).get(10, TimeUnit.SECONDS);
		pieces.sendInPieces(cuts).get(30, TimeUnit.SECONDS);
		return new Sent(response, length);
	}

	private static Http3Headers head(String method, String path) {
		return new DefaultHttp3Headers().method(method).path(path).authority("localhost").scheme("https");
	}

	private static Http3Headers copy(Http3Headers head) {
		Http3Headers copy = new DefaultHttp3Headers();
		copy.add(head);
		return copy;
	}

	private record Sent(Http3TestClient.Response response, int wireLength) {
	}

	/**
	 * Holds back what the HTTP/3 codec writes on a stream, then sends it in pieces cut at the given offsets, each
	 * flushed alone (one QUIC packet) after a short pause, and ends the stream with a FIN after the last.
	 */
	private static final class PieceWriter extends ChannelOutboundHandlerAdapter {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private ChannelHandlerContext ctx;

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			this.ctx = ctx;
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			if (msg instanceof ByteBuf buf) {
				byte[] copy = new byte[buf.readableBytes()];
				buf.readBytes(copy);
				buf.release();
				this.bytes.write(copy, 0, copy.length);
				promise.setSuccess();
			}
			else {
				ctx.write(msg, promise);
			}
		}

		@Override
		public void flush(ChannelHandlerContext ctx) {
			// Held: the pieces are flushed one by one.
		}

		int collected() {
			return this.bytes.size();
		}

		/** With no cuts, sends nothing and resets the stream: the call only measured the request's length. */
		CompletableFuture<Void> sendInPieces(int[] cuts) {
			CompletableFuture<Void> done = new CompletableFuture<>();
			byte[] all = this.bytes.toByteArray();
			this.ctx.executor().execute(() -> {
				if (cuts.length == 0) {
					((QuicStreamChannel) this.ctx.channel()).shutdown(0x10c);
					done.complete(null);
					return;
				}
				sendFrom(all, cuts, 0, 0, done);
			});
			return done;
		}

		private void sendFrom(byte[] all, int[] cuts, int index, int from, CompletableFuture<Void> done) {
			int to = (index < cuts.length) ? cuts[index] : all.length;
			this.ctx.writeAndFlush(Unpooled.wrappedBuffer(all, from, to - from)).addListener((future) -> {
				if (!future.isSuccess()) {
					done.completeExceptionally(future.cause());
				}
				else if (to == all.length) {
					((QuicStreamChannel) this.ctx.channel()).shutdownOutput()
						.addListener((shut) -> done.complete(null));
				}
				else {
					this.ctx.executor()
						.schedule(() -> sendFrom(all, cuts, index + 1, to, done), PAUSE_MILLIS, TimeUnit.MILLISECONDS);
				}
			});
		}

	}

}
