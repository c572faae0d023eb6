package io.hybridserver.autoconfigure;

import java.lang.reflect.Type;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import io.hybridserver.apps.websocket.StompTestApplication;
import io.hybridserver.testsupport.JdkSpringWebSocketClient;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STOMP over WebSocket ({@code @EnableWebSocketMessageBroker} with the simple broker) with Spring's own
 * {@link WebSocketStompClient}, over ws and over wss (our TLS, the JDK client trusting the test CA).
 */
class StompApplicationTest {

	/** Subscribes, then sends until the greeting comes back: the subscription is handled before a later send. */
	static void greetingRoundTrip(HttpClient http, String url) throws Exception {
		WebSocketStompClient stomp = new WebSocketStompClient(new JdkSpringWebSocketClient(http));
		stomp.setMessageConverter(new StringMessageConverter());
		StompSession session = stomp.connectAsync(url, new StompSessionHandlerAdapter() {
		}).get(20, TimeUnit.SECONDS);
		BlockingQueue<String> greetings = new LinkedBlockingQueue<>();
		session.subscribe("/topic/greetings", new StompFrameHandler() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return String.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, Object payload) {
				greetings.add((String) payload);
			}

		});
		String greeting = null;
		for (int attempt = 0; attempt < 40 && greeting == null; attempt++) {
			session.send("/app/hello", "hybrid");
			greeting = greetings.poll(500, TimeUnit.MILLISECONDS);
		}
		assertThat(greeting).isEqualTo("Hello, hybrid!");
		session.disconnect();
		stomp.stop();
	}

	@Nested
	@SpringBootTest(classes = StompTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
	class OverWs {

		@LocalServerPort
		int port;

		@Test
		void aStompClientSubscribesSendsAndReceives() throws Exception {
			greetingRoundTrip(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
					"ws://127.0.0.1:" + this.port + "/stomp");
		}

	}

	@Nested
	@SpringBootTest(classes = StompTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
					"server.ssl.key-alias=server" })
	class OverWss {

		@LocalServerPort
		int port;

		@Test
		void aStompClientSubscribesSendsAndReceivesOverTls() throws Exception {
			SSLContext tls = TestTls.clientContext(null);
			greetingRoundTrip(TestTls.httpClient(tls), "wss://localhost:" + this.port + "/stomp");
		}

	}

}
