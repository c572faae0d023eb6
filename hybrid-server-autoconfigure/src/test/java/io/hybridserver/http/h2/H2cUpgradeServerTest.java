package io.hybridserver.http.h2;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.testsupport.RawH2Connection;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.testsupport.TestTls;
import io.netty.handler.ssl.ClientAuth;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Upgrade: h2c} over real sockets with real clients: the JDK {@code HttpClient} and curl {@code --http2} upgrade
 * and are answered over HTTP/2; a raw socket sees {@code 101}, the server's SETTINGS and stream 1's answer in DATA
 * frames; a request with a body, or any request over TLS, is answered over HTTP/1.1.
 */
class H2cUpgradeServerTest {

	private static final String CURL_SETTINGS = "AAMAAABkAAQAoAAAAAIAAAAA";

	private HybridWebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	private static void respondProtocol(Exchange exchange) throws IOException {
		byte[] body = TestServers.readBody(exchange);
		TestServers.respond(exchange, 200, exchange.protocol() + " " + exchange.method() + " " + exchange.target() + " "
				+ new String(body, StandardCharsets.UTF_8));
	}

	private int start() {
		this.server = TestServers.start(H2cUpgradeServerTest::respondProtocol, (s) -> s.getHttp2().setEnabled(true));
		return this.server.getPort();
	}

	@Test
	void theJdkClientUpgradesAndKeepsTheConnection() throws Exception {
		int port = start();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		for (String path : List.of("/first", "/second")) {
			HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
			assertThat(response.body()).isEqualTo("HTTP/2.0 GET " + path + " ");
		}
		assertThat(this.server.getStats().requests(HttpServerStats.H2C, 2)).isEqualTo(2);
		assertThat(this.server.getStats().streamsOpened()).isEqualTo(2);
	}

	@Test
	void curlHttp2Upgrades() throws Exception {
		int port = start();
		Process curl = new ProcessBuilder("curl", "-sS", "-i", "--http2", "--max-time", "10",
				"http://127.0.0.1:" + port + "/curl?q=1")
			.redirectErrorStream(true)
			.start();
		String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(output).startsWith("HTTP/1.1 101 Switching Protocols")
			.contains("HTTP/2 200")
			.endsWith("HTTP/2.0 GET /curl?q=1 ");
	}

	@Test
	void aRawUpgradeIsAnsweredOnStreamOne() throws Exception {
		int port = start();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET /raw HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
						+ "HTTP2-Settings: " + CURL_SETTINGS + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			DataInputStream in = new DataInputStream(socket.getInputStream());
			assertThat(readHead(in)).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
					+ "Upgrade: h2c\r\n\r\n");
			// The client's connection preface, after the 101 as RFC 7540 3.2 says.
			socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(RawH2Connection.encode(RawH2Connection.SETTINGS, 0, 0, new byte[0]));
			List<int[]> frames = new ArrayList<>();
			ByteArrayOutputStream data = new ByteArrayOutputStream();
			while (true) {
				int[] frame = readFrame(in, data);
				frames.add(frame);
				if (frame[0] == RawH2Connection.DATA && (frame[1] & RawH2Connection.END_STREAM) != 0) {
					break;
				}
			}
			// The server's preface comes first; stream 1's HEADERS and DATA carry the answer.
			assertThat(frames.get(0)[0]).isEqualTo(RawH2Connection.SETTINGS);
			assertThat(frames).anySatisfy((f) -> assertThat(f).containsExactly(RawH2Connection.HEADERS,
					RawH2Connection.END_HEADERS, 1));
			assertThat(frames.get(frames.size() - 1)[2]).isEqualTo(1);
			assertThat(data.toString(StandardCharsets.UTF_8)).isEqualTo("HTTP/2.0 GET /raw ");
		}
	}

	@Test
	void aRequestWithABodyIsAnsweredOverHttp11() throws Exception {
		int port = start();
		try (RawHttpConnection connection = new RawHttpConnection(port)) {
			RawHttpConnection.Response response = connection
				.send("POST /body HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
						+ "HTTP2-Settings: " + CURL_SETTINGS + "\r\nContent-Length: 4\r\n\r\nbody")
				.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("HTTP/1.1 POST /body body");
			// The connection goes on as HTTP/1.1.
			assertThat(connection.send("GET /next HTTP/1.1\r\nHost: h\r\n\r\n").readResponse().bodyText())
				.isEqualTo("HTTP/1.1 GET /next ");
		}
	}

	@Test
	void overTlsTheUpgradeIsIgnored() throws Exception {
		this.server = TestTls.start(TestTls.credentials(ClientAuth.NONE), H2cUpgradeServerTest::respondProtocol,
				(s) -> s.getHttp2().setEnabled(true));
		Process curl = new ProcessBuilder("curl", "-sS", "-i", "--http1.1", "-k", "--max-time", "10", "-H",
				"Connection: Upgrade, HTTP2-Settings", "-H", "Upgrade: h2c", "-H", "HTTP2-Settings: " + CURL_SETTINGS,
				"https://localhost:" + this.server.getPort() + "/tls")
			.redirectErrorStream(true)
			.start();
		String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
		assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(output).startsWith("HTTP/1.1 200").doesNotContain("101").endsWith("HTTP/1.1 GET /tls ");
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).isNotNegative();
			head.append((char) b);
		}
		return head.toString();
	}

	/** One frame: {type, flags, stream id}; DATA payloads are appended to {@code data}. */
	private static int[] readFrame(DataInputStream in, ByteArrayOutputStream data) throws IOException {
		byte[] head = new byte[9];
		in.readFully(head);
		int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
		int streamId = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
		byte[] payload = new byte[length];
		in.readFully(payload);
		if (head[3] == RawH2Connection.DATA) {
			data.write(payload);
		}
		return new int[] { head[3], head[4] & 0xff, streamId };
	}

}
