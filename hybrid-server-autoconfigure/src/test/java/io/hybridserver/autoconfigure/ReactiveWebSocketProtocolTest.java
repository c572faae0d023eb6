package io.hybridserver.autoconfigure;

import java.util.concurrent.BlockingQueue;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication;

/**
 * The RFC 6455/7692 cases of {@link WebSocketProtocolCases} against a WebFlux {@code WebSocketHandler} that echoes,
 * upgraded by the hybrid server's strategy without any configuration. (The message limit, which for WebFlux is the
 * server's, is in {@link ReactiveWebSocketServerFeaturesTest}, with the default limits.)
 */
@SpringBootTest(classes = ReactiveWebSocketTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.hybrid.websocket.max-message-size=17MB",
				"server.hybrid.websocket.max-frame-size=17MB" })
class ReactiveWebSocketProtocolTest extends WebSocketProtocolCases {

	@Override
	BlockingQueue<String> events() {
		return ReactiveWebSocketTestApplication.EVENTS;
	}

	@Override
	String echoPath() {
		return "/ws/echo";
	}

	@Override
	String errorEvent() {
		return "echo-error:";
	}

	@Override
	String closedEvent(int code) {
		return "echo-closed:" + code;
	}

}
