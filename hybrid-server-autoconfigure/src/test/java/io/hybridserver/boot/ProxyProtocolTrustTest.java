package io.hybridserver.boot;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.Shutdown;

import io.hybridserver.http.CompletedExchange;
import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.RawH2Connection;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.transport.CidrRange;
import io.hybridserver.transport.ProxyProtocolMode;
import io.hybridserver.transport.ProxyProtocolSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a PROXY header may make a request report, over real sockets: {@code PP2_CLIENT_SSL} makes the scheme https,
 * from a trusted source only, for every request of the connection, over HTTP/1.1 and HTTP/2, and for the 408 of a
 * head that never arrives whole; and the startup warning for a TCP listener that trusts every peer.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProxyProtocolTrustTest {

	private static final String WARNING = "reads the PROXY protocol from any peer";

	@TempDir
	Path dir;

	private final List<HybridWebServer> servers = new ArrayList<>();

	@AfterEach
	void stopAll() {
		this.servers.forEach(HybridWebServer::stop);
	}

	private static void describe(Exchange exchange) throws IOException {
		TestServers.respond(exchange, 200, exchange.scheme() + " "
				+ exchange.remoteAddress().getAddress().getHostAddress() + " " + exchange.localAddress().getPort());
	}

	private HybridWebServer start(ProxyProtocolSettings primary, HybridListener... listeners) {
		return start(primary, false, listeners);
	}

	private HybridWebServer start(ProxyProtocolSettings primary, boolean http2, HybridListener... listeners) {
		HybridServerSettings settings = new HybridServerSettings();
		settings.setIoThreads(2);
		settings.setWorkers(4);
		settings.setProxyProtocol(primary);
		settings.getHttp2().setEnabled(http2);
		HybridWebServer server = new HybridWebServer(settings, InetAddress.getLoopbackAddress(), 0,
				ProxyProtocolTrustTest::describe, () -> {
				}, Shutdown.IMMEDIATE, "test");
		for (HybridListener listener : listeners) {
			server.addListener(listener, null);
		}
		this.servers.add(server);
		server.start();
		return server;
	}

	private static ProxyProtocolSettings required(String... trusted) {
		return new ProxyProtocolSettings(ProxyProtocolMode.REQUIRED,
				java.util.Arrays.stream(trusted).map(CidrRange::parse).toList(), Duration.ofSeconds(5));
	}

	/** A v2 PROXY header (TCP over IPv4, 198.51.100.7:5555 to 127.0.0.1:8443), with a PP2_TYPE_SSL TLV if asked. */
	private static byte[] v2Header(Integer clientFlags) {
		ByteBuffer tlv = ByteBuffer.allocate(0);
		if (clientFlags != null) {
			byte[] version = "TLSv1.3".getBytes(StandardCharsets.US_ASCII);
			tlv = ByteBuffer.allocate(3 + 5 + 3 + version.length);
			tlv.put((byte) 0x20).putShort((short) (5 + 3 + version.length));
			tlv.put(clientFlags.byteValue()).putInt(0);
			tlv.put((byte) 0x21).putShort((short) version.length).put(version);
			tlv.flip();
		}
		ByteBuffer header = ByteBuffer.allocate(16 + 12 + tlv.remaining());
		header.put(new byte[] { 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A });
		header.put((byte) 0x21).put((byte) 0x11).putShort((short) (12 + tlv.remaining()));
		header.put(new byte[] { (byte) 198, 51, 100, 7 }).put(new byte[] { 127, 0, 0, 1 });
		header.putShort((short) 5555).putShort((short) 8443);
		header.put(tlv);
		return header.array();
	}

	/** Sends the header and a GET on a new connection; returns the answer, empty when the server closed without one. */
	private static String request(int port, byte[] header) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(header);
			socket.getOutputStream()
				.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			try {
				return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			}
			catch (java.net.SocketException ex) {
				// Reset: the server closed with our request unread.
				return "";
			}
		}
	}

	@Test
	void pp2ClientSslFromATrustedProxyMakesTheSchemeHttps() throws Exception {
		HybridWebServer server = start(required("127.0.0.1/32"));
		int port = server.getPort();
		assertThat(request(port, v2Header(0x01))).endsWith("\r\n\r\nhttps 198.51.100.7 8443");
		// The TLV without the client-over-TLS bit, or no TLV: the listener's own scheme.
		assertThat(request(port, v2Header(0x00))).endsWith("\r\n\r\nhttp 198.51.100.7 8443");
		assertThat(request(port, v2Header(null))).endsWith("\r\n\r\nhttp 198.51.100.7 8443");
	}

	@Test
	void theSchemeHoldsForEveryRequestOfTheConnection() throws Exception {
		// The header and two requests in one write: the connection learns its scheme from the header once, and the
		// second request, read with the first, reports it as well.
		HybridWebServer server = start(required("127.0.0.1/32"));
		String get = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
		byte[] header = v2Header(0x01);
		byte[] requests = (get + get.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))
			.getBytes(StandardCharsets.US_ASCII);
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(ByteBuffer.allocate(header.length + requests.length)
				.put(header)
				.put(requests)
				.array());
			String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(answers.split("\r\n\r\nhttps 198\\.51\\.100\\.7 8443", -1)).hasSize(3);
		}
	}

	@Test
	void a408ForAHeadThatNeverEndsReportsTheSchemeOfTheProxysClient() throws Exception {
		HybridServerSettings settings = new HybridServerSettings();
		settings.setIoThreads(1);
		settings.setWorkers(1);
		settings.setProxyProtocol(required("127.0.0.1/32"));
		settings.getHttp().setConnectionTimeout(Duration.ofMillis(500));
		HybridWebServer server = new HybridWebServer(settings, InetAddress.getLoopbackAddress(), 0,
				ProxyProtocolTrustTest::describe, () -> {
				}, Shutdown.IMMEDIATE, "test");
		this.servers.add(server);
		// What the access log hears: the scheme of a request answered without its head is the connection's, as the
		// PROXY header made it, not only whether this socket is TLS.
		BlockingQueue<String> completed = new LinkedBlockingQueue<>();
		server.getStats()
			.setCompletionListener((CompletedExchange exchange) -> completed.add(exchange.status() + " "
					+ exchange.scheme() + " " + exchange.remoteAddress().getAddress().getHostAddress()));
		server.start();
		for (Integer flags : new Integer[] { 0x01, 0x00 }) {
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write(v2Header(flags));
				// A head without its end: the connection timeout answers it.
				socket.getOutputStream()
					.write("GET / HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
				String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
				assertThat(answer).startsWith("HTTP/1.1 408 ");
			}
			String expected = (flags == 0x01) ? "https" : "http";
			assertThat(completed.poll(10, TimeUnit.SECONDS)).isEqualTo("408 " + expected + " 198.51.100.7");
		}
	}

	@Test
	void http2StreamsReportTheSchemeOfTheProxysClient() throws Exception {
		// h2c by prior knowledge behind the header: the HTTP/2 connection takes over after the header was read.
		HybridWebServer server = start(required("127.0.0.1/32"), true);
		ByteArrayOutputStream sent = new ByteArrayOutputStream();
		sent.writeBytes(v2Header(0x01));
		sent.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		sent.writeBytes(RawH2Connection.encode(RawH2Connection.SETTINGS, 0, 0, new byte[0]));
		int endOfRequest = RawH2Connection.END_STREAM | RawH2Connection.END_HEADERS;
		sent.writeBytes(RawH2Connection.encode(RawH2Connection.HEADERS, endOfRequest, 1, RawH2Connection.GET_HEADERS));
		sent.writeBytes(RawH2Connection.encode(RawH2Connection.HEADERS, endOfRequest, 3, RawH2Connection.GET_HEADERS));
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getPort())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(sent.toByteArray());
			Map<Integer, String> bodies = readH2Bodies(new DataInputStream(socket.getInputStream()), 2);
			assertThat(bodies).containsEntry(1, "https 198.51.100.7 8443").containsEntry(3, "https 198.51.100.7 8443");
		}
	}

	/** Reads HTTP/2 frames until {@code streams} streams have ended, and returns each one's DATA as text. */
	private static Map<Integer, String> readH2Bodies(DataInputStream in, int streams) throws IOException {
		Map<Integer, ByteArrayOutputStream> data = new HashMap<>();
		Map<Integer, String> ended = new HashMap<>();
		byte[] head = new byte[9];
		while (ended.size() < streams) {
			in.readFully(head);
			int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
			int streamId = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7fffffff;
			byte[] payload = new byte[length];
			in.readFully(payload);
			if (head[3] == RawH2Connection.DATA) {
				data.computeIfAbsent(streamId, (id) -> new ByteArrayOutputStream()).writeBytes(payload);
			}
			if ((head[3] == RawH2Connection.DATA || head[3] == RawH2Connection.HEADERS)
					&& (head[4] & RawH2Connection.END_STREAM) != 0) {
				ByteArrayOutputStream body = data.getOrDefault(streamId, new ByteArrayOutputStream());
				ended.put(streamId, body.toString(StandardCharsets.US_ASCII));
			}
		}
		return ended;
	}

	@Test
	void aPeerOutsideTheTrustedSourcesCannotClaimTls() throws Exception {
		HybridWebServer server = start(new ProxyProtocolSettings(ProxyProtocolMode.OPTIONAL,
				List.of(CidrRange.parse("10.0.0.0/8")), Duration.ofSeconds(5)));
		assertThat(request(server.getPort(), v2Header(0x01))).doesNotContain("https").doesNotContain("HTTP/1.1 200");
		assertThat(server.getStats().rejections(Rejection.PROXY_UNTRUSTED)).isEqualTo(1);
		// Without a header it is served, as itself, over http.
		assertThat(request(server.getPort(), new byte[0])).endsWith("\r\n\r\nhttp 127.0.0.1 " + server.getPort());
	}

	@Test
	void aTcpListenerTrustingEveryPeerIsWarnedAbout(CapturedOutput output) {
		HybridWebServer server = start(required(), HybridListener.tcp(0)
			.setName("checked")
			.setAddress(InetAddress.getLoopbackAddress())
			.setProxyProtocol(required("10.0.0.0/8")), HybridListener.unixSocket(this.dir.resolve("app.sock"))
			.setName("local")
			.setProxyProtocol(required()));
		assertThat(server.getListenerAddresses()).containsKeys("primary", "checked", "local");
		String port = String.valueOf(((InetSocketAddress) server.getListenerAddresses().get("primary")).getPort());
		assertThat(output).contains("WARN").contains("Listener 'primary' on port " + port + " " + WARNING);
		// Trusted sources set, or a Unix socket (whose file permissions admit its peers): no warning.
		assertThat(output.toString().split(WARNING, -1)).hasSize(2);
		assertThat(output).doesNotContain("Listener 'checked'").doesNotContain("Listener 'local'");
	}

}
