package io.hybridserver.autoconfigure;

import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.hybridserver.apps.websocket.WebSocketTestApplication;
import io.hybridserver.testsupport.RawWebSocket;
import io.hybridserver.testsupport.RawWebSocket.Frame;

import static io.hybridserver.testsupport.RawWebSocket.BINARY;
import static io.hybridserver.testsupport.RawWebSocket.CLOSE;
import static io.hybridserver.testsupport.RawWebSocket.CONTINUATION;
import static io.hybridserver.testsupport.RawWebSocket.TEXT;
import static io.hybridserver.testsupport.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC 6455/7692 cases of {@link WebSocketProtocolCases} against an echoing {@code @ServerEndpoint} of the servlet
 * container, and what only Jakarta endpoints have: per-endpoint message limits and message kinds without a handler.
 * The same application and properties as {@link WebSocketApplicationTest}, so the two share one Spring context.
 */
@SpringBootTest(classes = WebSocketTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.hybrid.websocket.max-message-size=17825792", "server.hybrid.websocket.max-frame-size=17825792" })
class WebSocketProtocolTest extends WebSocketProtocolCases {

	@Override
	BlockingQueue<String> events() {
		return WebSocketTestApplication.EVENTS;
	}

	@Override
	String echoPath() {
		return "/jakarta/echo/raw";
	}

	@Override
	String errorEvent() {
		return "annotated-error:";
	}

	@Override
	String closedEvent(int code) {
		return "annotated-closed:" + code;
	}

	// ---- limits and handlers of Jakarta endpoints

	@Test
	void aMessageOverTheEndpointsLimitIs1009() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/jakarta/small")) {
			ws.sendText("sixteen bytes ok");
			assertThat(ws.read().text()).isEqualTo("sixteen bytes ok");
			ws.send(frame(false, 0, TEXT, utf8("0123456789"), true));
			ws.send(frame(true, 0, CONTINUATION, utf8("0123456789"), true));
			Frame close = ws.readClose();
			assertThat(close.closeCode()).isEqualTo(1009);
			ws.send(frame(CLOSE, RawWebSocket.closePayload(1009, "")));
			assertThat(ws.isClosedByServer()).isTrue();
		}
		awaitEvent("small-closed:1009");
	}

	@Test
	void aMessageOfAKindWithoutAHandlerIs1003() throws Exception {
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/jakarta/partial")) {
			ws.send(frame(BINARY, new byte[] { 1 }));
			assertThat(ws.readClose().closeCode()).isEqualTo(1003);
		}
	}

}
