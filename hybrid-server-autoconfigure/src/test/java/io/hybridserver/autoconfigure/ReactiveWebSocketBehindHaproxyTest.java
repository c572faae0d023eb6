package io.hybridserver.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.listenersreactive.ReactiveListenersApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.ExternalPeer;
import io.hybridserver.testsupport.Haproxy;
import io.hybridserver.testsupport.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux WebSocket session behind HAProxy sending PROXY v2: the client's address from the header is the session's
 * remote address ({@code HandshakeInfo.getRemoteAddress()}), as it is the servlet session's and the request's. The
 * client connects from 127.0.0.2, an address HAProxy does not have, so seeing it proves it came through the header.
 * Skipped without HAProxy, except on CI ({@code .ci/run} installs it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactiveWebSocketBehindHaproxyTest {

	private static final String CLIENT_ADDRESS = "127.0.0.2";

	private Path dir;

	private ConfigurableApplicationContext context;

	private Haproxy haproxy;

	private int haproxyPort;

	@BeforeAll
	void startApplicationAndProxy(@TempDir Path dir) throws Exception {
		this.dir = dir;
		this.haproxy = Haproxy.in(this.dir);
		this.context = new SpringApplicationBuilder(ReactiveListenersApplication.class)
			.properties("spring.main.web-application-type=reactive", "server.port=0", "server.address=127.0.0.1",
					"server.hybrid.additional-listeners[0].name=haproxy-tcp",
					"server.hybrid.additional-listeners[0].port=0",
					"server.hybrid.additional-listeners[0].address=127.0.0.1",
					"server.hybrid.additional-listeners[0].proxy-protocol.mode=required",
					"server.hybrid.additional-listeners[0].proxy-protocol.trusted-sources=127.0.0.1/32")
			.run();
		HybridWebServer server = (HybridWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		int appPort = ((InetSocketAddress) server.getListenerAddresses().get("haproxy-tcp")).getPort();
		this.haproxyPort = this.haproxy.frontend("ws", "127.0.0.1:" + appPort + " send-proxy-v2");
		this.haproxy.start();
	}

	@AfterAll
	void stopAll() throws Exception {
		try {
			if (this.haproxy != null) {
				this.haproxy.close();
			}
		}
		finally {
			if (this.context != null) {
				this.context.close();
			}
		}
	}

	@Test
	void theSessionsRemoteAddressIsTheClientTheProxyHeaderNames() throws Exception {
		try (Socket socket = ExternalPeer.connectFrom(CLIENT_ADDRESS, this.haproxyPort)) {
			socket.getOutputStream()
				.write(RawWebSocket.upgradeRequest("/ws/where").getBytes(StandardCharsets.US_ASCII));
			DataInputStream in = new DataInputStream(socket.getInputStream());
			assertThat(readHead(in)).as(this.haproxy.output()).startsWith("HTTP/1.1 101 ");
			int opcode = in.readUnsignedByte() & 0x0F;
			int length = in.readUnsignedByte();
			assertThat(opcode).isEqualTo(RawWebSocket.TEXT);
			byte[] payload = new byte[length];
			in.readFully(payload);
			assertThat(new String(payload, StandardCharsets.UTF_8))
				.isEqualTo("remote=" + CLIENT_ADDRESS + ":" + socket.getLocalPort());
			socket.getOutputStream().write(RawWebSocket.frame(RawWebSocket.CLOSE, RawWebSocket.closePayload(1000, "")));
		}
	}

	/** The response head, up to its empty line. */
	private static String readHead(DataInputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			head.write(in.readUnsignedByte());
		}
		return head.toString(StandardCharsets.ISO_8859_1);
	}

}
