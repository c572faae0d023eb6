package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.websocket.WebSocketTestApplication;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket with the server's own features around it, each in an application of its own: graceful shutdown ends open
 * sessions with 1001 (going away), not a dropped connection, and an immediate one still sends the 1001 before it
 * closes; response compression leaves the 101 alone.
 */
class WebSocketServerFeaturesTest {

	@Test
	void aHandshakeAcceptingGzipIsUpgradedWhenCompressionIsOn() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebSocketTestApplication.class)
			.properties("server.port=0", "server.compression.enabled=true", "server.compression.min-response-size=1")
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try (RawHttpConnection http = new RawHttpConnection(port)) {
				// Browsers send Accept-Encoding with their handshakes.
				http.send(RawWebSocket.upgradeRequest("/jakarta/echo/gz", "Accept-Encoding: gzip, deflate, br"));
				RawHttpConnection.Response response = http.readHead();
				assertThat(response.status()).isEqualTo(101);
				assertThat(response.header("Content-Encoding")).isNull();
				http.send(RawWebSocket.frame(RawWebSocket.TEXT, "zipped?".getBytes()));
				byte[] echo = new byte[9];
				new java.io.DataInputStream(http.input()).readFully(echo);
				assertThat(new String(echo, 2, 7)).isEqualTo("zipped?");
			}
		}
	}

	@Test
	void gracefulShutdownClosesSessionsWith1001() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WebSocketTestApplication.class)
			.properties("server.port=0", "server.shutdown=graceful")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/spring/echo"), collector)
			.get(20, TimeUnit.SECONDS);
		ws.sendText("before", true).join();
		assertThat(collector.next()).isEqualTo("spring:before");
		WebSocketTestApplication.EVENTS.clear();
		CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
		assertThat(collector.closed.get(30, TimeUnit.SECONDS)).startsWith("1001:");
		closed.get(60, TimeUnit.SECONDS);
		assertThat(WebSocketTestApplication.EVENTS).contains("spring-closed:1001");
	}

	@Test
	void immediateShutdownStillSendsOpenSessions1001() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WebSocketTestApplication.class)
			.properties("server.port=0", "server.shutdown=immediate")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		try (RawWebSocket ws = RawWebSocket.open(port, "/jakarta/echo/leaving")) {
			ws.sendText("before");
			assertThat(ws.read().text()).isEqualTo("before");
			context.close();
			// As on Tomcat: the close frame comes first, then the connection ends without waiting for an answer.
			RawWebSocket.Frame close = ws.readClose();
			assertThat(close.closeCode()).isEqualTo(1001);
			assertThat(ws.isClosedByServer()).isTrue();
		}
		finally {
			context.close();
		}
	}

}
