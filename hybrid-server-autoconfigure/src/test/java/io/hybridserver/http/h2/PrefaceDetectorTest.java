package io.hybridserver.http.h2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.ResponseRoute;
import io.hybridserver.http.h1.Http1PipelineInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The choice between HTTP/1.1 and h2c on a clear-text connection, in memory, with the first bytes split at every
 * boundary: the preface switches the pipeline to HTTP/2 and the server answers with its SETTINGS; anything else, even
 * a request that starts like the preface, reaches the HTTP/1.1 handlers whole.
 */
class PrefaceDetectorTest {

	private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	/** The client's SETTINGS frame, empty: length 0, type 4, no flags, stream 0. */
	private static final byte[] EMPTY_SETTINGS = { 0, 0, 0, 4, 0, 0, 0, 0, 0 };

	private final List<Exchange> dispatched = new ArrayList<>();

	private EmbeddedChannel channel() {
		HttpServerConfig config = new HttpServerConfig();
		ResponseRoute route = (loop) -> (task) -> {
			FlushTarget target = task.runOnLoop();
			if (target != null) {
				target.flushNow();
			}
		};
		HttpServerStats stats = new HttpServerStats();
		Http2Negotiation negotiation = new Http2Negotiation(config, new Http2Config().setEnabled(true), stats,
				(exchange) -> this.dispatched.add(exchange), route);
		return new EmbeddedChannel(new Http1PipelineInitializer(config, stats, (exchange) -> this.dispatched.add(exchange),
				route, null, negotiation));
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] all = new byte[first.length + second.length];
		System.arraycopy(first, 0, all, 0, first.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	private static void writeSplit(EmbeddedChannel channel, byte[] bytes, int split) {
		if (split > 0) {
			channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
		}
		// A request refused from its first line is answered and closed at once: the rest is never sent.
		if (channel.isOpen()) {
			channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
		}
	}

	@Test
	void thePrefaceSwitchesToHttp2AtEverySplit() {
		byte[] opening = concat(PREFACE, EMPTY_SETTINGS);
		for (int split = 0; split < opening.length; split++) {
			EmbeddedChannel channel = channel();
			writeSplit(channel, opening, split);
			assertThat(channel.pipeline().names()).as("split at %d", split)
				.contains("h2")
				.doesNotContain("h2-preface", "decoder", "http1", "head-timer");
			ByteBuf firstOut = channel.readOutbound();
			assertThat(firstOut).as("split at %d", split).isNotNull();
			// The server's connection preface is its SETTINGS frame (RFC 9113 3.4): frame type 4 on stream 0.
			assertThat(firstOut.getByte(3)).isEqualTo((byte) 4);
			assertThat(firstOut.getInt(5)).isZero();
			firstOut.release();
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void http11RequestsReachTheHttp11HandlersWholeAtEverySplit() {
		byte[] request = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		for (int split = 0; split < request.length; split++) {
			this.dispatched.clear();
			EmbeddedChannel channel = channel();
			writeSplit(channel, request, split);
			assertThat(channel.pipeline().names()).as("split at %d", split)
				.contains("http1")
				.doesNotContain("h2", "h2-preface");
			assertThat(this.dispatched).as("split at %d", split).hasSize(1);
			assertThat(this.dispatched.get(0).protocol()).isEqualTo("HTTP/1.1");
			assertThat(this.dispatched.get(0).target()).isEqualTo("/x");
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void aRequestThatOnlyStartsLikeThePrefaceIsLeftToHttp11() {
		// The HTTP/1.1 handlers see every byte and refuse it themselves (only OPTIONS may target *), as they did before
		// HTTP/2 existed.
		byte[] request = "PRI * HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		for (int split = 0; split < request.length; split++) {
			this.dispatched.clear();
			EmbeddedChannel channel = channel();
			writeSplit(channel, request, split);
			StringBuilder answer = new StringBuilder();
			ByteBuf out;
			while ((out = channel.readOutbound()) != null) {
				answer.append(out.toString(StandardCharsets.US_ASCII));
				out.release();
			}
			assertThat(answer).as("split at %d", split).startsWith("HTTP/1.1 400 ");
			assertThat(this.dispatched).isEmpty();
			channel.finishAndReleaseAll();
		}
	}

}
