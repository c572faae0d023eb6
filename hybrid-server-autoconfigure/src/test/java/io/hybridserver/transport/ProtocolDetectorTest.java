package io.hybridserver.transport;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProtocolDetector} in memory: a TLS ClientHello, an HTTP/1.1 request and the HTTP/2 preface, each split at
 * every byte boundary, reach the right pipeline whole and in order, also behind a PROXY v1 or v2 header; a peer that
 * sends nothing or one byte is closed at the timeout and counted; what is neither TLS nor HTTP goes to clear text
 * (whose decoder answers 400) without waiting.
 */
class ProtocolDetectorTest {

	/** The start of a real TLS 1.3 ClientHello record (curl's): record header, handshake header, version, random. */
	private static final byte[] CLIENT_HELLO = hex("16030100f4010000f00303" + "5a".repeat(32) + "20" + "11".repeat(32)
			+ "0008130213031301c02f0100009f");

	private static final byte[] REQUEST = ascii("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");

	private static final byte[] H2_PREFACE = concat(ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
			hex("000000040000000000"));

	private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 40000);

	private final AtomicInteger failures = new AtomicInteger();

	/** What one of the two pipelines received: whether it was told the connection is active, and the bytes. */
	private static final class Recorder extends ChannelInboundHandlerAdapter {

		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		boolean active;

		@Override
		public void channelActive(ChannelHandlerContext ctx) {
			this.active = true;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf buf = (ByteBuf) msg;
			byte[] copy = new byte[buf.readableBytes()];
			buf.readBytes(copy);
			this.bytes.write(copy, 0, copy.length);
			buf.release();
		}

	}

	/** A pipeline to choose: an initializer, as the listener's are, that adds a recorder. */
	private static final class Route extends ChannelInitializer<Channel> {

		final List<Recorder> recorders = new ArrayList<>();

		@Override
		protected void initChannel(Channel channel) {
			Recorder recorder = new Recorder();
			this.recorders.add(recorder);
			channel.pipeline().addLast(recorder);
		}

		Recorder only() {
			assertThat(this.recorders).hasSize(1);
			return this.recorders.get(0);
		}

	}

	private static final class PeerChannel extends EmbeddedChannel {

		PeerChannel() {
			super(false, false);
		}

		@Override
		protected SocketAddress remoteAddress0() {
			return PROXY;
		}

		@Override
		protected SocketAddress localAddress0() {
			return new InetSocketAddress("10.0.0.1", 443);
		}

	}

	private record Run(PeerChannel channel, Route tls, Route clear) {
	}

	private Run open(ProxyProtocolMode proxy) {
		Route tls = new Route();
		Route clear = new Route();
		PeerChannel channel = new PeerChannel();
		if (proxy != ProxyProtocolMode.OFF) {
			channel.pipeline()
				.addLast(new ProxyProtocolHandler(new ProxyProtocolSettings(proxy, List.of(CidrRange.parse("10.0.0.0/8")),
						Duration.ofSeconds(5)), null, (reason) -> {
							throw new AssertionError("PROXY header refused: " + reason);
						}));
		}
		channel.pipeline()
			.addLast("protocol-detection", new ProtocolDetector(
					new ProtocolDetectionSettings(true, Duration.ofSeconds(2)), tls, clear, this.failures::incrementAndGet));
		try {
			channel.register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return new Run(channel, tls, clear);
	}

	private static void feed(EmbeddedChannel channel, byte[] input, int at) {
		if (at > 0) {
			channel.writeInbound(Unpooled.wrappedBuffer(input, 0, at));
		}
		if (at < input.length && channel.isOpen()) {
			channel.writeInbound(Unpooled.wrappedBuffer(input, at, input.length - at));
		}
	}

	/** Every split of {@code input} reaches {@code expected}'s pipeline, told active, with every byte of {@code after}. */
	private void assertRoutedAtEverySplit(ProxyProtocolMode proxy, byte[] input, boolean tls, byte[] after) {
		for (int at = 0; at <= input.length; at++) {
			Run run = open(proxy);
			feed(run.channel(), input, at);
			Route chosen = tls ? run.tls() : run.clear();
			Route other = tls ? run.clear() : run.tls();
			assertThat(chosen.only().active).as("told active, split at %d", at).isTrue();
			assertThat(chosen.only().bytes.toByteArray()).as("bytes, split at %d", at).isEqualTo(after);
			assertThat(other.recorders).isEmpty();
			assertThat(run.channel().pipeline().get(ProtocolDetector.class)).as("left the pipeline").isNull();
			assertThat(run.channel().isOpen()).isTrue();
			// The timer was cancelled: nothing happens at the timeout.
			run.channel().advanceTimeBy(5, TimeUnit.SECONDS);
			run.channel().runScheduledPendingTasks();
			assertThat(run.channel().isOpen()).isTrue();
			assertThat(run.channel().finishAndReleaseAll()).isFalse();
		}
		assertThat(this.failures).hasValue(0);
	}

	@Test
	void aClientHelloGoesToTlsAtEverySplit() {
		assertRoutedAtEverySplit(ProxyProtocolMode.OFF, CLIENT_HELLO, true, CLIENT_HELLO);
	}

	@Test
	void anHttpRequestGoesToClearTextAtEverySplit() {
		assertRoutedAtEverySplit(ProxyProtocolMode.OFF, REQUEST, false, REQUEST);
		// RFC 9112 2.2: empty lines before the request line.
		byte[] afterEmptyLines = concat(ascii("\r\n"), REQUEST);
		assertRoutedAtEverySplit(ProxyProtocolMode.OFF, afterEmptyLines, false, afterEmptyLines);
	}

	@Test
	void theHttp2PrefaceGoesToClearTextAtEverySplit() {
		assertRoutedAtEverySplit(ProxyProtocolMode.OFF, H2_PREFACE, false, H2_PREFACE);
	}

	@Test
	void aProxyV1HeaderIsReadFirstThenWhatFollowsIsDetectedAtEverySplit() {
		byte[] header = ascii("PROXY TCP4 198.51.100.7 10.0.0.1 56324 443\r\n");
		assertRoutedAtEverySplit(ProxyProtocolMode.REQUIRED, concat(header, CLIENT_HELLO), true, CLIENT_HELLO);
		assertRoutedAtEverySplit(ProxyProtocolMode.OPTIONAL, concat(header, REQUEST), false, REQUEST);
		assertRoutedAtEverySplit(ProxyProtocolMode.OPTIONAL, concat(header, H2_PREFACE), false, H2_PREFACE);
		// Optional, and no header: detection sees the first bytes themselves.
		assertRoutedAtEverySplit(ProxyProtocolMode.OPTIONAL, CLIENT_HELLO, true, CLIENT_HELLO);
	}

	@Test
	void aProxyV2HeaderIsReadFirstAndItsAddressesKeptAtEverySplit() {
		byte[] header = hex("0d0a0d0a000d0a515549540a" + "2111000c" + "c6336407" + "0a000001" + "dc04" + "01bb");
		byte[] input = concat(header, CLIENT_HELLO);
		for (int at = 0; at <= input.length; at++) {
			Run run = open(ProxyProtocolMode.REQUIRED);
			feed(run.channel(), input, at);
			assertThat(run.tls().only().bytes.toByteArray()).isEqualTo(CLIENT_HELLO);
			assertThat(ConnectionAddresses.remote(run.channel()))
				.isEqualTo(new InetSocketAddress("198.51.100.7", 56324));
			run.channel().finishAndReleaseAll();
		}
	}

	@Test
	void aPeerThatSendsNothingIsClosedAtTheTimeoutAndCounted() {
		Run run = open(ProxyProtocolMode.OFF);
		run.channel().advanceTimeBy(1900, TimeUnit.MILLISECONDS);
		run.channel().runScheduledPendingTasks();
		assertThat(run.channel().isOpen()).isTrue();
		run.channel().advanceTimeBy(200, TimeUnit.MILLISECONDS);
		run.channel().runScheduledPendingTasks();
		assertThat(run.channel().isOpen()).isFalse();
		assertThat(this.failures).hasValue(1);
		assertThat(run.tls().recorders).isEmpty();
		assertThat(run.clear().recorders).isEmpty();
	}

	@Test
	void aPeerThatSendsOneByteOfEitherIsClosedAtTheTimeoutAndCounted() {
		for (byte[] first : List.of(ascii("G"), hex("16"), hex("1603"), ascii("\r\n"), ascii("PRI"))) {
			Run run = open(ProxyProtocolMode.OFF);
			run.channel().writeInbound(Unpooled.wrappedBuffer(first));
			assertThat(run.channel().isOpen()).isTrue();
			run.channel().advanceTimeBy(3, TimeUnit.SECONDS);
			run.channel().runScheduledPendingTasks();
			assertThat(run.channel().isOpen()).isFalse();
			assertThat(run.tls().recorders).isEmpty();
			assertThat(run.clear().recorders).isEmpty();
			// The held bytes were released when the connection closed (the leak detector would say otherwise).
			run.channel().finishAndReleaseAll();
		}
		assertThat(this.failures).hasValue(5);
	}

	@Test
	void whatIsNeitherTlsNorHttpGoesToClearTextAtOnceForItsBadRequest() {
		for (byte[] input : List.of(hex("00"), hex("1601"), hex("1603010000"), hex("8001"), ascii("GET\u0000"),
				ascii("A".repeat(ProtocolDetector.MAX_UNDECIDED)))) {
			Run run = open(ProxyProtocolMode.OFF);
			run.channel().writeInbound(Unpooled.wrappedBuffer(input));
			assertThat(run.clear().only().bytes.toByteArray()).isEqualTo(input);
			assertThat(run.tls().recorders).isEmpty();
			run.channel().finishAndReleaseAll();
		}
		assertThat(this.failures).hasValue(0);
	}

	@Test
	void aBytesWorthOfMethodNameShortOfTheBoundStillWaits() {
		Run run = open(ProxyProtocolMode.OFF);
		run.channel().writeInbound(Unpooled.wrappedBuffer(ascii("A".repeat(ProtocolDetector.MAX_UNDECIDED - 1))));
		assertThat(run.clear().recorders).isEmpty();
		run.channel().writeInbound(Unpooled.wrappedBuffer(ascii("A")));
		assertThat(run.clear().only().bytes.size()).isEqualTo(ProtocolDetector.MAX_UNDECIDED);
		run.channel().finishAndReleaseAll();
	}

	@Test
	void aHalfCloseBeforeTheProtocolIsKnownClosesCountingOnlyAPeerThatSentSomething() {
		Run probe = open(ProxyProtocolMode.OFF);
		probe.channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
		assertThat(probe.channel().isOpen()).isFalse();
		assertThat(this.failures).hasValue(0);

		Run cut = open(ProxyProtocolMode.OFF);
		cut.channel().writeInbound(Unpooled.wrappedBuffer(ascii("GE")));
		cut.channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
		assertThat(cut.channel().isOpen()).isFalse();
		assertThat(this.failures).hasValue(1);
		cut.channel().finishAndReleaseAll();
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static byte[] hex(String hex) {
		byte[] bytes = new byte[hex.length() / 2];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
		}
		return bytes;
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = new byte[a.length + b.length];
		System.arraycopy(a, 0, joined, 0, a.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

}
