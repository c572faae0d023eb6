package io.hybridserver.http.h1;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The bytes {@link ResponseEncoder} puts on an {@link EmbeddedChannel}: framing per RFC 9112, and how many buffers a
 * response takes, since one buffer for a small response is why the class exists.
 */
class ResponseEncoderTest {

	private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

	private final ChannelHandlerContext ctx = this.channel.pipeline().lastContext();

	private final ResponseEncoder encoder = new ResponseEncoder();

	@AfterEach
	void closeChannel() {
		for (Object written : drain()) {
			release(written);
		}
		this.channel.finishAndReleaseAll();
	}

	@Test
	void aSmallBodyLeavesInTheSameBufferAsItsHead() {
		this.encoder.write(this.ctx, head(200, "content-length", "13"), text("hello, world!"), false, null);
		List<Object> written = drain();
		assertThat(written).hasSize(1);
		assertThat(asText(written)).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\nhello, world!");
	}

	@Test
	void theEndOfALengthFramedBodyWritesNothing() {
		this.encoder.write(this.ctx, head(200, "content-length", "2"), text("ok"), false, null);
		drainAndRelease();
		assertThat(this.encoder.write(this.ctx, null, null, true, null)).isNull();
		assertThat(drain()).isEmpty();
	}

	@Test
	void theEndWithAPromiseCompletesInOrderEvenWithNothingToWrite() {
		this.encoder.write(this.ctx, head(200, "content-length", "2"), text("ok"), false, null);
		ChannelFuture end = this.encoder.write(this.ctx, null, null, true, this.ctx.newPromise());
		this.channel.flush();
		assertThat(end.isSuccess()).isTrue();
		assertThat(asText(drain())).endsWith("\r\n\r\nok");
	}

	@Test
	void aLargeBodyIsWrittenAsItsOwnBufferWithoutACopy() {
		ByteBuf body = Unpooled.directBuffer(ResponseEncoder.INLINE_BODY_LIMIT + 1)
			.writeZero(ResponseEncoder.INLINE_BODY_LIMIT + 1);
		this.encoder.write(this.ctx, head(200, "content-length", String.valueOf(body.readableBytes())), body, false,
				null);
		List<Object> written = drain();
		assertThat(written).hasSize(2);
		assertThat(written.get(1)).isSameAs(body);
		assertThat(body.refCnt()).isEqualTo(1);
		written.forEach(ResponseEncoderTest::release);
	}

	@Test
	void chunkedPartsAreFramedAndTheEndIsTheLastChunk() {
		HttpResponse head = head(200, "transfer-encoding", "chunked");
		this.encoder.write(this.ctx, head, text("abc"), false, null);
		String large = "x".repeat(5000);
		this.encoder.write(this.ctx, null, text(large), false, null);
		this.encoder.write(this.ctx, null, null, true, null);
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n"
				+ "1388\r\n" + large + "\r\n0\r\n\r\n");
	}

	@Test
	void trailersEndAChunkedBodyAndAreIgnoredForALengthFramedOne() {
		HttpHeaders trailers = DefaultHttpHeadersFactory.trailersFactory().newHeaders().add("x-checksum", "42");
		this.encoder.write(this.ctx, head(200, "transfer-encoding", "chunked"), text("abc"), false, null);
		this.encoder.write(this.ctx, null, null, true, trailers, null);
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n"
				+ "0\r\nx-checksum: 42\r\n\r\n");
		this.encoder.write(this.ctx, head(200, "content-length", "2"), text("ok"), true, trailers, null);
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
	}

	@Test
	void aSmallChunkedResponseInOneCallIsOneBuffer() {
		HttpResponse head = head(200, "transfer-encoding", "chunked");
		this.encoder.write(this.ctx, head, text("hi"), true, null);
		List<Object> written = drain();
		assertThat(written).hasSize(1);
		assertThat(asText(written)).endsWith("\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
	}

	@Test
	void noContentDropsFramingHeadersAndAnyBody() {
		HttpResponse head = head(204, "content-length", "5");
		head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
		ByteBuf body = text("oops!");
		this.encoder.write(this.ctx, head, body, true, null);
		assertThat(body.refCnt()).isZero();
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
	}

	@Test
	void resetContentSaysThatNothingFollows() {
		this.encoder.write(this.ctx, head(205, "transfer-encoding", "chunked"), null, true, null);
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 205 Reset Content\r\ncontent-length: 0\r\n\r\n");
	}

	@Test
	void notModifiedKeepsItsLengthButSendsNoBody() {
		this.encoder.write(this.ctx, head(304, "content-length", "42"), text("body"), true, null);
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 304 Not Modified\r\ncontent-length: 42\r\n\r\n");
	}

	@Test
	void anInformationalHeadIsFollowedByTheFinalOne() {
		this.encoder.write(this.ctx, new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), null,
				false, null);
		this.encoder.write(this.ctx, head(200, "content-length", "0"), null, true, null);
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
	}

	@Test
	void aHeadBeforeThePreviousEndIsRefusedAndItsBodyReleased() {
		this.encoder.write(this.ctx, head(200, "content-length", "2"), text("ok"), false, null);
		ByteBuf body = text("no");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.encoder.write(this.ctx, head(200, "content-length", "2"), body, true, null))
			.withMessageContaining("before the previous response ended");
		assertThat(body.refCnt()).isZero();
	}

	@Test
	void aPartWithoutAHeadIsRefused() {
		ByteBuf body = text("no");
		assertThatIllegalStateException().isThrownBy(() -> this.encoder.write(this.ctx, null, body, true, null))
			.withMessageContaining("without a head");
		assertThat(body.refCnt()).isZero();
	}

	@Test
	void aFieldValueIsSentInLatin1WithAQuestionMarkForWhatLatin1CannotSay() {
		this.encoder.write(this.ctx, head(200, "x-price", "caf\u00e9 2 \u20ac"), null, true, null);
		ByteBuf written = (ByteBuf) drain().get(0);
		assertThat(written.toString(StandardCharsets.ISO_8859_1)).contains("x-price: caf\u00e9 2 ?\r\n");
		written.release();
	}

	@Test
	void aReasonPhraseOfTheApplicationsOwnIsSent() {
		HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(299, "Fine Indeed"));
		this.encoder.write(this.ctx, head, null, true, null);
		assertThat(asText(drain())).startsWith("HTTP/1.1 299 Fine Indeed\r\n");
	}

	@Test
	void aFileRegionFollowsItsHeadUnframedWhenTheLengthIsKnown(@TempDir Path dir) throws IOException {
		FileRegion region = region(dir, "hello");
		this.encoder.writeRegion(this.ctx, head(200, "content-length", "5"), region, this.ctx.newPromise());
		List<Object> written = drain();
		assertThat(written).hasSize(2);
		assertThat(written.get(1)).isSameAs(region);
		assertThat(((ByteBuf) written.get(0)).toString(StandardCharsets.US_ASCII)).endsWith("content-length: 5\r\n\r\n");
		written.forEach(ResponseEncoderTest::release);
	}

	@Test
	void aFileRegionInAChunkedBodyIsOneChunk(@TempDir Path dir) throws IOException {
		FileRegion region = region(dir, "hello");
		this.encoder.writeRegion(this.ctx, head(200, "transfer-encoding", "chunked"), region, this.ctx.newPromise());
		this.encoder.write(this.ctx, null, null, true, null);
		List<Object> written = drain();
		assertThat(written).hasSize(4);
		assertThat(((ByteBuf) written.get(0)).toString(StandardCharsets.US_ASCII)).endsWith("\r\n\r\n5\r\n");
		assertThat(written.get(1)).isSameAs(region);
		assertThat(((ByteBuf) written.get(2)).toString(StandardCharsets.US_ASCII)).isEqualTo("\r\n");
		assertThat(((ByteBuf) written.get(3)).toString(StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
		written.forEach(ResponseEncoderTest::release);
	}

	// ---- heads a worker encoded (Http1Exchange)

	@Test
	void anEncodedHeadWithItsBodyInsideIsWrittenAsItIs() {
		ByteBuf head = encoded("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
		assertThat(this.encoder.writeEncoded(this.ctx, head, ResponseHead.Framing.RAW, null, true, null, null)).isNull();
		List<Object> written = drain();
		assertThat(written).hasSize(1);
		assertThat(written.get(0)).isSameAs(head);
		assertThat(asText(written)).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
		// The response ended: the next one starts with a head.
		ByteBuf body = text("no");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.encoder.writeEncoded(this.ctx, null, null, body, true, null, null));
		assertThat(body.refCnt()).isZero();
	}

	@Test
	void anEncodedChunkedHeadFramesTheBodyThatFollows() {
		ByteBuf head = encoded("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
		this.encoder.writeEncoded(this.ctx, head, ResponseHead.Framing.CHUNKED, text("abc"), false, null, null);
		this.encoder.writeEncoded(this.ctx, null, null, null, true, null, null);
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n"
				+ "0\r\n\r\n");
	}

	@Test
	void anEncodedHeadOfABodylessStatusDropsTheBody() {
		ByteBuf head = encoded("HTTP/1.1 204 No Content\r\n\r\n");
		ByteBuf body = text("oops");
		this.encoder.writeEncoded(this.ctx, head, ResponseHead.Framing.EMPTY, body, true, null, null);
		assertThat(body.refCnt()).isZero();
		assertThat(asText(drain())).isEqualTo("HTTP/1.1 204 No Content\r\n\r\n");
	}

	@Test
	void anEncodedHeadBeforeThePreviousEndIsRefusedAndReleased() {
		this.encoder.writeEncoded(this.ctx, encoded("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"),
				ResponseHead.Framing.RAW, null, false, null, null);
		ByteBuf second = encoded("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
		assertThatIllegalStateException().isThrownBy(() -> this.encoder.writeEncoded(this.ctx, second,
				ResponseHead.Framing.RAW, null, true, null, null));
		assertThat(second.refCnt()).isZero();
	}

	@Test
	void theConnectionFieldsAreEncodedApartFromTheOthers() {
		HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().newHeaders()
			.add("content-type", "text/plain")
			.add("Connection", "x-hop")
			.add("x-hop", "1")
			.add("connection", "upgrade");
		ByteBuf out = Unpooled.buffer();
		ResponseHead.encodeConnectionFields(headers, out);
		assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("connection: x-hop\r\nconnection: upgrade\r\n");
		out.clear();
		ResponseHead.encodeFieldsButConnection(headers, out);
		assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("content-type: text/plain\r\nx-hop: 1\r\n");
	}

	private static ByteBuf encoded(String head) {
		return Unpooled.directBuffer().writeBytes(head.getBytes(StandardCharsets.US_ASCII));
	}

	private static HttpResponse head(int status, String name, String value) {
		HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
		head.headers().set(name, value);
		return head;
	}

	private static ByteBuf text(String text) {
		return Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII));
	}

	private static FileRegion region(Path dir, String content) throws IOException {
		Path file = Files.writeString(dir.resolve("body.txt"), content);
		return new DefaultFileRegion(file.toFile(), 0, content.length());
	}

	private List<Object> drain() {
		this.channel.flush();
		List<Object> written = new ArrayList<>();
		Object next;
		while ((next = this.channel.readOutbound()) != null) {
			written.add(next);
		}
		return written;
	}

	private void drainAndRelease() {
		drain().forEach(ResponseEncoderTest::release);
	}

	/** The text of written buffers, which it releases. */
	private static String asText(List<Object> written) {
		StringBuilder text = new StringBuilder();
		for (Object part : written) {
			ByteBuf buf = (ByteBuf) part;
			text.append(buf.toString(StandardCharsets.US_ASCII));
			buf.release();
		}
		return text.toString();
	}

	private static void release(Object written) {
		if (written instanceof io.netty.util.ReferenceCounted counted && counted.refCnt() > 0) {
			counted.release();
		}
	}

}
