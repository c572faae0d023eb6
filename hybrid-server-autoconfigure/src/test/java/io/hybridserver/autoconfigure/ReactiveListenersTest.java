package io.hybridserver.autoconfigure;

import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.listenersreactive.ReactiveListenersApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.RawHttpConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listeners under WebFlux: a PROXY header's client address is what {@code ServerHttpRequest} reports, over TCP and
 * over a Unix socket, and a Unix socket without one reports loopback.
 */
class ReactiveListenersTest {

	@TempDir
	Path dir;

	@Test
	void proxyHeaderAddressesReachServerHttpRequest() throws Exception {
		Path proxied = this.dir.resolve("proxied.sock");
		Path plain = this.dir.resolve("plain.sock");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ReactiveListenersApplication.class)
			.properties("spring.main.web-application-type=reactive", "server.port=0",
					"server.hybrid.proxy-protocol.mode=optional",
					"server.hybrid.proxy-protocol.trusted-sources=127.0.0.1,::1",
					"server.hybrid.additional-listeners[0].unix-socket=" + proxied,
					"server.hybrid.additional-listeners[0].proxy-protocol.mode=required",
					"server.hybrid.additional-listeners[1].unix-socket=" + plain)
			.run()) {
			HybridWebServer server = (HybridWebServer) ((WebServerApplicationContext) context).getWebServer();
			String request = "GET /where HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
			try (RawHttpConnection connection = new RawHttpConnection(server.getPort())) {
				assertThat(connection.send("PROXY TCP4 198.51.100.7 192.0.2.1 4444 8080\r\n" + request)
					.readResponse()
					.bodyText()).isEqualTo("remote=198.51.100.7:4444 local=8080");
			}
			// Optional on the primary port: a client without a header is served with its own address.
			try (RawHttpConnection connection = new RawHttpConnection(server.getPort())) {
				assertThat(connection.send(request).readResponse().bodyText()).startsWith("remote=127.0.0.1:")
					.endsWith("local=" + ((InetSocketAddress) server.getListenerAddresses().get("primary")).getPort());
			}
			try (RawHttpConnection connection = RawHttpConnection.unix(proxied)) {
				assertThat(connection.send("PROXY TCP6 2001:db8::7 2001:db8::1 5555 443\r\n" + request)
					.readResponse()
					.bodyText()).isEqualTo("remote=2001:db8:0:0:0:0:0:7:5555 local=443");
			}
			try (RawHttpConnection connection = RawHttpConnection.unix(plain)) {
				assertThat(connection.send(request).readResponse().bodyText()).isEqualTo("remote=127.0.0.1:0 local=0");
			}
		}
	}

}
