package io.hybridserver.http.h2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2Settings;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.FlushTarget;
import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.ResponseRoute;
import io.hybridserver.http.h1.Http1PipelineInitializer;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Upgrade: h2c} in memory, each request split at every byte boundary: a proper upgrade request gets
 * {@code 101}, then the server's SETTINGS, and becomes an HTTP/2 exchange on stream 1; requests that do not qualify
 * (a body, no or two {@code HTTP2-Settings}, settings that do not decode, HTTP/1.0, {@code HTTP2-Settings} not named in
 * {@code Connection}) are HTTP/1.1 exchanges as before.
 */
class H2cUpgradeTest {

	/** curl's HTTP2-Settings: MAX_CONCURRENT_STREAMS 100, INITIAL_WINDOW_SIZE 10 MiB, ENABLE_PUSH 0. */
	private static final String CURL_SETTINGS = "AAMAAABkAAQAoAAAAAIAAAAA";

	private static final String UPGRADE = "GET /x?y=1 HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\n"
			+ "Upgrade: h2c\r\nHTTP2-Settings: " + CURL_SETTINGS + "\r\nAccept: */*\r\n\r\n";

	private final List<Exchange> dispatched = new ArrayList<>();

	private HttpServerStats stats;

	private EmbeddedChannel channel() {
		this.stats = new HttpServerStats();
		HttpServerConfig config = new HttpServerConfig();
		ResponseRoute route = (loop) -> (task) -> {
			FlushTarget target = task.runOnLoop();
			if (target != null) {
				target.flushNow();
			}
		};
		Http2Negotiation negotiation = new Http2Negotiation(config, new Http2Config().setEnabled(true), this.stats,
				this.dispatched::add, route);
		return new EmbeddedChannel(
				new Http1PipelineInitializer(config, this.stats, this.dispatched::add, route, null, negotiation));
	}

	private static void writeSplit(EmbeddedChannel channel, byte[] bytes, int split) {
		if (split > 0) {
			channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
		}
		channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
	}

	private static String drainAscii(EmbeddedChannel channel) {
		StringBuilder out = new StringBuilder();
		ByteBuf buf;
		while ((buf = channel.readOutbound()) != null) {
			out.append(buf.toString(StandardCharsets.ISO_8859_1));
			buf.release();
		}
		return out.toString();
	}

	@Test
	void aProperUpgradeRequestBecomesStreamOneAtEverySplit() {
		byte[] request = UPGRADE.getBytes(StandardCharsets.US_ASCII);
		for (int split = 0; split < request.length; split++) {
			this.dispatched.clear();
			EmbeddedChannel channel = channel();
			writeSplit(channel, request, split);
			assertThat(channel.pipeline().names()).as("split at %d", split)
				.contains("h2")
				.doesNotContain("h2-preface", "decoder", "http1", "head-timer");
			String out = drainAscii(channel);
			String head = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
			assertThat(out).as("split at %d", split).startsWith(head);
			// Then the server's connection preface, its SETTINGS frame: type 4 on stream 0.
			assertThat(out.charAt(head.length() + 3)).isEqualTo((char) 4);
			assertThat(this.dispatched).as("split at %d", split).hasSize(1);
			Exchange exchange = this.dispatched.get(0);
			assertThat(exchange.protocol()).isEqualTo("HTTP/2.0");
			assertThat(exchange.method()).isEqualTo("GET");
			assertThat(exchange.target()).isEqualTo("/x?y=1");
			assertThat(exchange.requestHeaders().get("host")).isEqualTo("h");
			assertThat(exchange.requestHeaders().get("accept")).isEqualTo("*/*");
			// The fields that concerned the HTTP/1.1 connection stay behind.
			assertThat(exchange.requestHeaders().get("upgrade")).isNull();
			assertThat(exchange.requestHeaders().get("http2-settings")).isNull();
			assertThat(exchange.requestHeaders().get("connection")).isNull();
			assertThat(exchange.toString()).contains("stream 1");
			assertThat(this.stats.streamsActive()).as("split at %d", split).isEqualTo(1);
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void thePrefaceMayFollowInTheSameBytes() {
		byte[] request = UPGRADE.getBytes(StandardCharsets.US_ASCII);
		byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		byte[] settings = { 0, 0, 0, 4, 0, 0, 0, 0, 0 };
		byte[] all = new byte[request.length + preface.length + settings.length];
		System.arraycopy(request, 0, all, 0, request.length);
		System.arraycopy(preface, 0, all, request.length, preface.length);
		System.arraycopy(settings, 0, all, request.length + preface.length, settings.length);
		for (int split = 0; split < all.length; split++) {
			this.dispatched.clear();
			EmbeddedChannel channel = channel();
			writeSplit(channel, all, split);
			assertThat(channel.isOpen()).as("split at %d", split).isTrue();
			String out = drainAscii(channel);
			// The client's SETTINGS were read by the HTTP/2 codec: it acknowledged them (type 4, flag ACK).
			assertThat(out).as("split at %d", split).contains(new String(new char[] { 0, 0, 0, 4, 1, 0, 0, 0, 0 }));
			assertThat(this.dispatched).hasSize(1);
			assertThat(this.dispatched.get(0).protocol()).isEqualTo("HTTP/2.0");
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void requestsThatDoNotQualifyStayHttp11() {
		String[] requests = {
				// A body: answered over HTTP/1.1, nothing held by the I/O tier.
				"POST /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: "
						+ CURL_SETTINGS + "\r\nContent-Length: 4\r\n\r\nbody",
				"POST /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: "
						+ CURL_SETTINGS + "\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n",
				// No HTTP2-Settings, or two (RFC 7540 3.2.1).
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n",
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: "
						+ CURL_SETTINGS + "\r\nHTTP2-Settings: " + CURL_SETTINGS + "\r\n\r\n",
				// Settings that are not base64url, not a multiple of six bytes, or out of range (window > 2^31-1).
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
						+ "HTTP2-Settings: !!!\r\n\r\n",
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
						+ "HTTP2-Settings: AAMAAABkAA\r\n\r\n",
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
						+ "HTTP2-Settings: AAT_____\r\n\r\n",
				// HTTP2-Settings or Upgrade not named in Connection; another protocol; HTTP/1.0.
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nHTTP2-Settings: " + CURL_SETTINGS
						+ "\r\n\r\n",
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: "
						+ CURL_SETTINGS + "\r\n\r\n",
				"GET /x HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: websocket\r\n"
						+ "HTTP2-Settings: " + CURL_SETTINGS + "\r\n\r\n",
				"GET /x HTTP/1.0\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: "
						+ CURL_SETTINGS + "\r\n\r\n" };
		for (String text : requests) {
			byte[] request = text.getBytes(StandardCharsets.US_ASCII);
			for (int split = 0; split < request.length; split++) {
				this.dispatched.clear();
				EmbeddedChannel channel = channel();
				writeSplit(channel, request, split);
				assertThat(channel.pipeline().names()).as("%s split at %d", text, split)
					.contains("http1")
					.doesNotContain("h2");
				assertThat(drainAscii(channel)).as(text).doesNotContain("101");
				assertThat(this.dispatched).as(text).hasSize(1);
				assertThat(this.dispatched.get(0).protocol()).startsWith("HTTP/1.");
				channel.finishAndReleaseAll();
			}
		}
	}

	@Test
	void whatFollowsADeclinedUpgradeWaitsForItsAnswerThenIsHttp11AtEverySplit() throws Exception {
		// No HTTP2-Settings: declined, served over HTTP/1.1. The request pipelined after it is held undecoded (it could
		// have been the new protocol's bytes) until the first is answered, then parsed as HTTP/1.1.
		byte[] bytes = ("GET /first HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
				+ "GET /second HTTP/1.1\r\nHost: h\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		for (int split = 0; split < bytes.length; split++) {
			this.dispatched.clear();
			EmbeddedChannel channel = channel();
			writeSplit(channel, bytes, split);
			channel.runPendingTasks();
			assertThat(this.dispatched).as("split at %d", split).hasSize(1);
			assertThat(this.dispatched.get(0).target()).isEqualTo("/first");
			TestServers.respond(this.dispatched.get(0), 200, "first");
			channel.runPendingTasks();
			assertThat(this.dispatched).as("split at %d", split).hasSize(2);
			Exchange second = this.dispatched.get(1);
			assertThat(second.protocol()).isEqualTo("HTTP/1.1");
			assertThat(second.target()).isEqualTo("/second");
			TestServers.respond(second, 200, "second");
			channel.runPendingTasks();
			String out = drainAscii(channel);
			assertThat(out).as("split at %d", split).doesNotContain("101").startsWith("HTTP/1.1 200");
			assertThat(out).endsWith("second");
			assertThat(channel.pipeline().names()).contains("http1").doesNotContain("h2");
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void settingsDecodeAsRfc7540Says() {
		Http2Settings settings = H2cUpgrade.decode(CURL_SETTINGS);
		assertThat(settings.maxConcurrentStreams()).isEqualTo(100);
		assertThat(settings.initialWindowSize()).isEqualTo(10 * 1024 * 1024);
		assertThat(settings.pushEnabled()).isFalse();
		// Padding is optional; an empty payload is no setting at all.
		assertThat(H2cUpgrade.decode(CURL_SETTINGS + "")).isNotNull();
		assertThat(H2cUpgrade.decode("").isEmpty()).isTrue();
	}

}
