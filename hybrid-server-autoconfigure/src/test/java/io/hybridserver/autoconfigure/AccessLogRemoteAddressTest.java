package io.hybridserver.autoconfigure;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.testsupport.AccessLogFiles;
import io.hybridserver.testsupport.RawHttpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code %a} and {@code %h} behind a proxy, with {@code request-attributes-enabled} as Tomcat's: the client a trusted
 * proxy names in {@code X-Forwarded-For} (server.forward-headers-strategy=native), the source of a PROXY protocol
 * header, and neither when the hop that sent the header is not trusted. Real sockets.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.hybrid.accesslog.enabled=true",
				"server.hybrid.accesslog.request-attributes-enabled=true",
				"server.hybrid.accesslog.pattern=%a %h peer=%{X-Forwarded-For}i \"%r\" %s",
				"server.forward-headers-strategy=native", "server.hybrid.proxy-protocol.mode=optional",
				"server.hybrid.proxy-protocol.trusted-sources=127.0.0.1/32" })
class AccessLogRemoteAddressTest {

	@TempDir
	static Path logs;

	@DynamicPropertySource
	static void logDirectory(DynamicPropertyRegistry registry) {
		registry.add("server.hybrid.accesslog.directory", () -> logs.toString());
	}

	@LocalServerPort
	int port;

	private String exchange(String request, String target) throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			assertThat(connection.send(request).readResponse().status()).isEqualTo(200);
		}
		return AccessLogFiles.awaitLine(logs, (line) -> line.contains("\"GET " + target + " HTTP/1.1\""));
	}

	@Test
	void theClientATrustedProxyNamesIsTheRemoteAddress() throws Exception {
		// The TCP peer, 127.0.0.1, is an internal proxy: its X-Forwarded-For is believed, read from the right.
		String line = exchange("GET /hello?n=xff HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n"
				+ "Connection: close\r\n\r\n", "/hello?n=xff");
		assertThat(line).startsWith("203.0.113.7 203.0.113.7 peer=203.0.113.7, 10.0.0.1 ");
	}

	@Test
	void withoutForwardingHeadersTheTcpPeer() throws Exception {
		String line = exchange("GET /hello?n=plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "/hello?n=plain");
		assertThat(line).startsWith("127.0.0.1 127.0.0.1 peer=- ");
	}

	@Test
	void theProxyProtocolSourceIsTheRemoteAddress() throws Exception {
		String line = exchange("PROXY TCP4 198.51.100.9 127.0.0.1 40000 80\r\n"
				+ "GET /hello?n=proxy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "/hello?n=proxy");
		assertThat(line).startsWith("198.51.100.9 198.51.100.9 peer=- ");
	}

	@Test
	void forwardingHeadersFromAnUntrustedHopAreNotBelieved() throws Exception {
		// The PROXY header's client is the hop now, and a public address is no trusted proxy: its header is forged.
		String line = exchange("PROXY TCP4 198.51.100.9 127.0.0.1 40000 80\r\n"
				+ "GET /hello?n=forged HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2.66\r\nConnection: close\r\n\r\n",
				"/hello?n=forged");
		assertThat(line).startsWith("198.51.100.9 198.51.100.9 peer=192.0.2.66 ");
	}

}
