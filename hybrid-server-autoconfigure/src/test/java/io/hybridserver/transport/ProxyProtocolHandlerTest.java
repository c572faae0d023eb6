package io.hybridserver.transport;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProxyProtocolHandler} in memory: v1 and v2 headers with what follows them, each split at every byte boundary;
 * TLVs; optional and required modes; trusted sources; every kind of malformed header closing the connection without
 * passing a byte on; the header timeout; the per-address bound applied to the header's client.
 */
class ProxyProtocolHandlerTest {

	private static final byte[] V2_SIGNATURE = { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54,
			0x0A };

	private static final String REQUEST = "GET /x HTTP/1.1\r\nHost: a\r\n\r\n";

	private static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.5", 40000);

	private static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.9", 40000);

	private final List<ProxyRejection> rejections = new ArrayList<>();

	/** An embedded channel whose peer has an IP address, as a TCP connection's has. */
	private static final class PeerChannel extends EmbeddedChannel {

		private final InetSocketAddress peer;

		PeerChannel(InetSocketAddress peer) {
			super(false, false);
			this.peer = peer;
		}

		@Override
		protected SocketAddress remoteAddress0() {
			return this.peer;
		}

		@Override
		protected SocketAddress localAddress0() {
			return new InetSocketAddress("10.0.0.1", 8080);
		}

	}

	/** What reaches the handlers behind: the bytes, and how many read-complete events. */
	private static final class Behind extends ChannelInboundHandlerAdapter {

		final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf buf = (ByteBuf) msg;
			byte[] copy = new byte[buf.readableBytes()];
			buf.readBytes(copy);
			this.bytes.write(copy, 0, copy.length);
			buf.release();
		}

		String text() {
			return this.bytes.toString(StandardCharsets.ISO_8859_1);
		}

	}

	private record Run(PeerChannel channel, Behind behind) {
	}

	private Run open(ProxyProtocolMode mode, InetSocketAddress peer, ConnectionLimiter limiter, String... trusted) {
		List<CidrRange> ranges = new ArrayList<>();
		for (String range : trusted) {
			ranges.add(CidrRange.parse(range));
		}
		ProxyProtocolSettings settings = new ProxyProtocolSettings(mode, ranges, Duration.ofSeconds(5));
		PeerChannel channel = new PeerChannel(peer);
		Behind behind = new Behind();
		channel.pipeline()
			.addLast("proxy-protocol", new ProxyProtocolHandler(settings, limiter, this.rejections::add))
			.addLast(behind);
		try {
			channel.register();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return new Run(channel, behind);
	}

	/** Feeds {@code input} in two pieces split at {@code at}. */
	private static void feed(EmbeddedChannel channel, byte[] input, int at) {
		if (at > 0) {
			channel.writeInbound(Unpooled.wrappedBuffer(input, 0, at));
		}
		if (at < input.length && channel.isOpen()) {
			channel.writeInbound(Unpooled.wrappedBuffer(input, at, input.length - at));
		}
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] joined = new byte[a.length + b.length];
		System.arraycopy(a, 0, joined, 0, a.length);
		System.arraycopy(b, 0, joined, a.length, b.length);
		return joined;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** A v2 header: PROXY command over TCP/IPv4, with the given TLV bytes; the length field as given. */
	private static byte[] v2Tcp4(int versionCommand, int family, Integer lengthField, byte[] tlvs) {
		ByteBuf header = Unpooled.buffer();
		header.writeBytes(V2_SIGNATURE);
		header.writeByte(versionCommand);
		header.writeByte(family);
		int length = 12 + tlvs.length;
		header.writeShort((lengthField != null) ? lengthField : length);
		header.writeBytes(new byte[] { (byte) 192, 0, 2, 7 });
		header.writeBytes(new byte[] { 10, 0, 0, 1 });
		header.writeShort(51000);
		header.writeShort(443);
		header.writeBytes(tlvs);
		byte[] bytes = new byte[header.readableBytes()];
		header.readBytes(bytes);
		header.release();
		return bytes;
	}

	private static byte[] tlv(int type, byte[] value) {
		byte[] tlv = new byte[3 + value.length];
		tlv[0] = (byte) type;
		tlv[1] = (byte) (value.length >> 8);
		tlv[2] = (byte) value.length;
		System.arraycopy(value, 0, tlv, 3, value.length);
		return tlv;
	}

	@Test
	void v1HeaderGivesTheClientAddressAndPassesWhatFollowsAtEverySplit() {
		byte[] input = ascii("PROXY TCP4 198.51.100.7 10.0.0.1 56324 443\r\n" + REQUEST);
		for (int at = 0; at <= input.length; at++) {
			Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null, "10.0.0.0/8");
			feed(run.channel(), input, at);
			assertThat(run.behind().text()).as("split at %d", at).isEqualTo(REQUEST);
			assertThat(ConnectionAddresses.remote(run.channel()))
				.isEqualTo(new InetSocketAddress("198.51.100.7", 56324));
			assertThat(ConnectionAddresses.local(run.channel())).isEqualTo(new InetSocketAddress("10.0.0.1", 443));
			assertThat(run.channel().pipeline().get(ProxyProtocolHandler.class)).isNull();
			assertThat(run.channel().isOpen()).isTrue();
			assertThat(run.channel().finishAndReleaseAll()).isFalse();
		}
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void v2HeaderWithTlvsBecomesAddressesAndAttributesAtEverySplit() {
		byte[] ssl = concat(new byte[] { 0x01, 0, 0, 0, 0 },
				concat(tlv(0x21, ascii("TLSv1.3")), concat(tlv(0x22, ascii("alice")), tlv(0x23, ascii("TLS_AES_128_GCM_SHA256")))));
		byte[] tlvs = concat(tlv(0x02, ascii("shop.example")), concat(tlv(0x20, ssl), tlv(0x05, ascii("req-42"))));
		byte[] input = concat(v2Tcp4(0x21, 0x11, null, tlvs), ascii(REQUEST));
		for (int at = 0; at <= input.length; at++) {
			Run run = open(ProxyProtocolMode.OPTIONAL, PROXY, null);
			feed(run.channel(), input, at);
			assertThat(run.behind().text()).as("split at %d", at).isEqualTo(REQUEST);
			assertThat(ConnectionAddresses.remote(run.channel())).isEqualTo(new InetSocketAddress("192.0.2.7", 51000));
			Map<String, Object> attributes = ConnectionAddresses.attributes(run.channel());
			assertThat(attributes).containsEntry(ProxyHeaderAttributes.AUTHORITY, "shop.example")
				.containsEntry(ProxyHeaderAttributes.SSL, true)
				.containsEntry(ProxyHeaderAttributes.SSL_CLIENT_VERIFIED, true)
				.containsEntry(ProxyHeaderAttributes.SSL_VERSION, "TLSv1.3")
				.containsEntry(ProxyHeaderAttributes.SSL_CLIENT_CN, "alice")
				.containsEntry(ProxyHeaderAttributes.SSL_CIPHER, "TLS_AES_128_GCM_SHA256")
				.containsEntry(ProxyHeaderAttributes.UNIQUE_ID, "req-42");
			@SuppressWarnings("unchecked")
			Map<Integer, byte[]> raw = (Map<Integer, byte[]>) attributes.get(ProxyHeaderAttributes.TLVS);
			assertThat(raw).containsKeys(0x02, 0x20, 0x05);
			assertThat(run.channel().finishAndReleaseAll()).isFalse();
		}
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void onlyPp2ClientSslSaysTheClientCameOverTls() {
		byte[] clientSsl = tlv(0x20, new byte[] { 0x01, 0, 0, 0, 0 });
		byte[] proxyOnlySsl = tlv(0x20, new byte[] { 0x00, 0, 0, 0, 0 });
		byte[][] headers = { v2Tcp4(0x21, 0x11, null, clientSsl), v2Tcp4(0x21, 0x11, null, proxyOnlySsl),
				v2Tcp4(0x21, 0x11, null, new byte[0]), ascii("PROXY TCP4 198.51.100.7 10.0.0.1 56324 443\r\n") };
		boolean[] overTls = { true, false, false, false };
		for (int i = 0; i < headers.length; i++) {
			Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null, "10.0.0.0/8");
			feed(run.channel(), concat(headers[i], ascii(REQUEST)), 0);
			assertThat(run.behind().text()).isEqualTo(REQUEST);
			assertThat(ConnectionAddresses.clientOverTls(run.channel())).as("header %d", i).isEqualTo(overTls[i]);
			run.channel().finishAndReleaseAll();
		}
		// No header read (optional, none sent): the connection's own scheme.
		Run plain = open(ProxyProtocolMode.OPTIONAL, PROXY, null);
		feed(plain.channel(), ascii(REQUEST), 0);
		assertThat(ConnectionAddresses.clientOverTls(plain.channel())).isFalse();
		plain.channel().finishAndReleaseAll();
	}

	@Test
	void v2LocalCommandKeepsTheConnectionsOwnAddresses() {
		Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null);
		feed(run.channel(), concat(v2Tcp4(0x20, 0x11, null, new byte[0]), ascii(REQUEST)), 0);
		assertThat(run.behind().text()).isEqualTo(REQUEST);
		assertThat(ConnectionAddresses.remote(run.channel())).isEqualTo(PROXY);
		run.channel().finishAndReleaseAll();
	}

	@Test
	void optionalModeServesAConnectionWithoutHeaderUnchangedAtEverySplit() {
		byte[] input = ascii(REQUEST);
		for (int at = 0; at <= input.length; at++) {
			Run run = open(ProxyProtocolMode.OPTIONAL, STRANGER, null, "10.0.0.0/8");
			feed(run.channel(), input, at);
			assertThat(run.behind().text()).as("split at %d", at).isEqualTo(REQUEST);
			assertThat(ConnectionAddresses.remote(run.channel())).isEqualTo(STRANGER);
			assertThat(run.channel().finishAndReleaseAll()).isFalse();
		}
		assertThat(this.rejections).isEmpty();
	}

	@Test
	void requiredModeClosesAConnectionWithoutHeader() {
		Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null);
		feed(run.channel(), ascii(REQUEST), 0);
		assertRefused(run, ProxyRejection.MALFORMED);
	}

	@Test
	void requiredModeRefusesAnUntrustedPeerBeforeReading() {
		Run run = open(ProxyProtocolMode.REQUIRED, STRANGER, null, "10.0.0.0/8", "fd00::/8");
		assertRefused(run, ProxyRejection.UNTRUSTED);
	}

	@Test
	void anUntrustedPeerSendingAHeaderIsRefusedInOptionalMode() {
		byte[] input = ascii("PROXY TCP4 198.51.100.7 10.0.0.1 56324 443\r\n" + REQUEST);
		for (int at = 0; at <= input.length; at++) {
			this.rejections.clear();
			Run run = open(ProxyProtocolMode.OPTIONAL, STRANGER, null, "10.0.0.0/8");
			feed(run.channel(), input, at);
			assertRefused(run, ProxyRejection.UNTRUSTED);
		}
	}

	static List<byte[]> malformed() {
		List<byte[]> inputs = new ArrayList<>();
		// Wrong signature: one byte of the v2 signature changed.
		byte[] badSignature = v2Tcp4(0x21, 0x11, null, new byte[0]);
		badSignature[5] = 0x0E;
		inputs.add(badSignature);
		// Wrong length: TCP over IPv4 needs 12 address bytes, the header says 4.
		inputs.add(v2Tcp4(0x21, 0x11, 4, new byte[0]));
		// Unknown address family (0x4_).
		inputs.add(v2Tcp4(0x21, 0x41, null, new byte[0]));
		// Unknown version (3) and unknown command (0xF).
		inputs.add(v2Tcp4(0x31, 0x11, null, new byte[0]));
		inputs.add(v2Tcp4(0x2F, 0x11, null, new byte[0]));
		// v1 longer than 107 bytes without its CRLF.
		inputs.add(ascii("PROXY TCP6 " + "1".repeat(120) + "\r\n"));
		// v1 with an address that is not one.
		inputs.add(ascii("PROXY TCP4 198.51.100 10.0.0.1 56324 443\r\n"));
		// v1 with a port out of range.
		inputs.add(ascii("PROXY TCP4 198.51.100.7 10.0.0.1 70000 443\r\n"));
		return inputs;
	}

	@Test
	void malformedHeadersCloseTheConnectionAndPassNothingOn() {
		for (byte[] header : malformed()) {
			byte[] input = concat(header, ascii(REQUEST));
			for (int at = 0; at <= input.length; at++) {
				this.rejections.clear();
				Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null);
				feed(run.channel(), input, at);
				assertThat(run.behind().text()).as("%s split at %d", new String(header, StandardCharsets.ISO_8859_1), at)
					.isEmpty();
				assertRefused(run, ProxyRejection.MALFORMED);
			}
		}
	}

	@Test
	void aHeaderCutShortByTheClientIsMalformed() {
		byte[] header = v2Tcp4(0x21, 0x11, 100, new byte[0]);
		Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null);
		feed(run.channel(), header, 0);
		assertThat(run.channel().isOpen()).isTrue();
		run.channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
		assertRefused(run, ProxyRejection.MALFORMED);
	}

	@Test
	void aHeaderSlowerThanItsTimeoutClosesTheConnection() {
		Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null);
		feed(run.channel(), ascii("PROXY TCP4 198.51"), 0);
		run.channel().advanceTimeBy(4, TimeUnit.SECONDS);
		run.channel().runScheduledPendingTasks();
		assertThat(run.channel().isOpen()).isTrue();
		run.channel().advanceTimeBy(2, TimeUnit.SECONDS);
		run.channel().runScheduledPendingTasks();
		assertRefused(run, ProxyRejection.TIMEOUT);
	}

	@Test
	void aCompleteHeaderCancelsTheTimeout() {
		Run run = open(ProxyProtocolMode.REQUIRED, PROXY, null);
		feed(run.channel(), ascii("PROXY TCP4 198.51.100.7 10.0.0.1 56324 443\r\n"), 0);
		run.channel().advanceTimeBy(10, TimeUnit.SECONDS);
		run.channel().runScheduledPendingTasks();
		assertThat(run.channel().isOpen()).isTrue();
		assertThat(this.rejections).isEmpty();
		run.channel().finishAndReleaseAll();
	}

	@Test
	void thePerAddressBoundCountsTheHeadersClientNotTheProxy() {
		ConnectionLimiter limiter = new ConnectionLimiter(0, 1);
		Run first = open(ProxyProtocolMode.REQUIRED, PROXY, limiter);
		feed(first.channel(), ascii("PROXY TCP4 198.51.100.7 10.0.0.1 1000 443\r\n"), 0);
		Run other = open(ProxyProtocolMode.REQUIRED, PROXY, limiter);
		feed(other.channel(), ascii("PROXY TCP4 198.51.100.8 10.0.0.1 1000 443\r\n"), 0);
		Run second = open(ProxyProtocolMode.REQUIRED, PROXY, limiter);
		feed(second.channel(), ascii("PROXY TCP4 198.51.100.7 10.0.0.1 1001 443\r\n" + REQUEST), 0);
		// Two clients behind one proxy each get their slot; the same client's second connection is over its bound.
		assertThat(first.channel().isOpen()).isTrue();
		assertThat(other.channel().isOpen()).isTrue();
		assertThat(second.channel().isOpen()).isFalse();
		assertThat(second.behind().text()).isEmpty();
		assertThat(limiter.refusedConnections()).isEqualTo(1);
		first.channel().finishAndReleaseAll();
		other.channel().finishAndReleaseAll();
		second.channel().finishAndReleaseAll();
	}

	private void assertRefused(Run run, ProxyRejection reason) {
		assertThat(run.channel().isOpen()).isFalse();
		assertThat(run.behind().text()).isEmpty();
		assertThat(this.rejections).containsExactly(reason);
		run.channel().finishAndReleaseAll();
	}

}
