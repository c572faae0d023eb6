package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.reactive.websocket.HybridRequestUpgradeStrategy;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application with {@code WebSocketHandler}s on the hybrid server, with nothing configured for it: the
 * JDK's client ({@link WebSocket}) over ws and wss and Spring's {@link ReactorNettyWebSocketClient} echo text and
 * binary messages up to 16 MiB, close codes go both ways, and the handlers run on the dispatch tier's workers.
 */
class ReactiveWebSocketApplicationTest {

	static WebSocket connect(HttpClient client, String uri, WebSocketApplicationTest.Collector collector) {
		return client.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.buildAsync(URI.create(uri), collector)
			.join();
	}

	static void echoesTextAndBinary(HttpClient client, String base) throws Exception {
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = connect(client, base + "/ws/echo", collector);
		ws.sendText("hello", true).join();
		assertThat(collector.next()).isEqualTo("hello");
		ws.sendText("frag", false).join();
		ws.sendText("mented", true).join();
		assertThat(collector.next()).isEqualTo("fragmented");
		ws.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).join();
		assertThat((byte[]) collector.next()).containsExactly(1, 2, 3);
		ws.sendClose(4001, "client done").join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("4001");
	}

	@Nested
	@SpringBootTest(classes = ReactiveWebSocketTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive",
					"server.hybrid.websocket.max-message-size=17MB", "server.hybrid.websocket.max-frame-size=17MB" })
	class OverWs extends WebSocketEventsTest {

		@LocalServerPort
		int port;

		@Autowired
		ReactiveWebServerApplicationContext context;

		@Autowired
		WebSocketHandlerAdapter adapter;

		private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		@Override
		BlockingQueue<String> events() {
			return ReactiveWebSocketTestApplication.EVENTS;
		}

		@Test
		void theServerIsHybridAndWebFluxsAdapterUpgradesThroughIt() {
			assertThat(this.context.getWebServer()).isInstanceOf(HybridWebServer.class);
			assertThat(this.adapter.getWebSocketService()).isInstanceOf(HandshakeWebSocketService.class);
			assertThat(((HandshakeWebSocketService) this.adapter.getWebSocketService()).getUpgradeStrategy())
				.isInstanceOf(HybridRequestUpgradeStrategy.class);
		}

		@Test
		void echoesTextAndBinaryAndTheClientsCloseCodeReachesTheHandler() throws Exception {
			echoesTextAndBinary(this.client, "ws://127.0.0.1:" + this.port);
			awaitEvent("echo-closed:4001:client done");
		}

		@Test
		void echoes16MiBMessagesBothWays() throws Exception {
			WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
			WebSocket ws = connect(this.client, "ws://127.0.0.1:" + this.port + "/ws/echo", collector);
			byte[] big = new byte[16 * 1024 * 1024];
			for (int i = 0; i < big.length; i++) {
				big[i] = (byte) (i * 31);
			}
			ws.sendBinary(ByteBuffer.wrap(big), true).join();
			assertThat((byte[]) collector.next()).isEqualTo(big);
			String text = "x".repeat(16 * 1024 * 1024);
			ws.sendText(text, true).join();
			assertThat(collector.next()).isEqualTo(text);
			ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
			assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("1000");
		}

		@Test
		void theHandlersCloseCodeReachesTheClient() throws Exception {
			WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
			WebSocket ws = connect(this.client, "ws://127.0.0.1:" + this.port + "/ws/closer", collector);
			ws.sendText("one", true).join();
			assertThat(collector.next()).isEqualTo("got one");
			ws.sendText("close", true).join();
			assertThat(collector.closed.get(20, TimeUnit.SECONDS)).isEqualTo("4002:done");
			awaitEvent("closer-closed:4002:done");
		}

		@Test
		void springsReactorNettyClientEchoes() {
			Sinks.Many<String> received = Sinks.many().replay().all();
			new ReactorNettyWebSocketClient()
				.execute(URI.create("ws://127.0.0.1:" + this.port + "/ws/echo"),
						(session) -> session.send(Flux.just("a", "b", "c").map(session::textMessage))
							.thenMany(session.receive().take(3).map((message) -> message.getPayloadAsText()))
							.doOnNext(received::tryEmitNext)
							.then())
				.block(Duration.ofSeconds(20));
			assertThat(received.asFlux().take(3).collectList().block(Duration.ofSeconds(5))).containsExactly("a", "b",
					"c");
		}

		@Test
		void aHandshakeForAPlainRouteIsAnsweredAsHttp() {
			Mono<Void> attempt = new ReactorNettyWebSocketClient().execute(
					URI.create("ws://127.0.0.1:" + this.port + "/plain"), (session) -> Mono.empty());
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> attempt.block(Duration.ofSeconds(20)))
				.hasMessageContaining("200");
		}

	}

	@Nested
	@SpringBootTest(classes = ReactiveWebSocketTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "spring.main.web-application-type=reactive",
					"server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
					"server.ssl.key-alias=server" })
	class OverWss extends WebSocketEventsTest {

		@LocalServerPort
		int port;

		@Override
		BlockingQueue<String> events() {
			return ReactiveWebSocketTestApplication.EVENTS;
		}

		@Test
		void echoesTextAndBinaryOverTls() throws Exception {
			SSLContext tls = TestTls.clientContext(null);
			echoesTextAndBinary(TestTls.httpClient(tls), "wss://localhost:" + this.port);
			awaitEvent("echo-closed:4001:client done");
		}

	}

}
