package io.hybridserver.autoconfigure;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication;

/**
 * The RFC 6455/7692 cases of {@link WebSocketProtocolCases} against the WebFlux echo with its sessions on the event
 * loop ({@code server.hybrid.reactive.websocket-dispatch=event-loop}) while HTTP stays on workers: the loop side's
 * answers must not depend on where the handler runs.
 */
@SpringBootTest(classes = ReactiveWebSocketTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.hybrid.websocket.max-message-size=17MB",
				"server.hybrid.websocket.max-frame-size=17MB",
				"server.hybrid.reactive.websocket-dispatch=event-loop" })
class ReactiveWebSocketProtocolOnLoopTest extends ReactiveWebSocketProtocolTest {

}
