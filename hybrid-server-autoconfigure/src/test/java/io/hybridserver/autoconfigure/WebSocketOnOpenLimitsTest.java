package io.hybridserver.autoconfigure;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;

import io.hybridserver.testsupport.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Jakarta WebSocket endpoint that sets its message limit in {@code onOpen}, as Tomcat lets it: that limit holds from
 * the first frame a client sends once it has the 101, even when the frame arrives while {@code onOpen} still runs. The
 * server reads nothing of the connection before {@code onOpen} returns, so an oversized message is refused with 1009
 * from its frame header, before its payload is buffered. Real sockets, a real Spring Boot application.
 */
@SpringBootTest(classes = WebSocketOnOpenLimitsTest.LimitApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class WebSocketOnOpenLimitsTest {

	/** Holds the endpoint's onOpen until the test has sent its frame. */
	static volatile CountDownLatch openGate = new CountDownLatch(0);

	@LocalServerPort
	int port;

	@Test
	void aLimitSetInOnOpenRefusesAMessageSentRightAfterTheHandshakeFromItsHeader() throws Exception {
		openGate = new CountDownLatch(1);
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/limited")) {
			byte[] oversized = new byte[1000];
			Arrays.fill(oversized, (byte) 'a');
			byte[] frame = RawWebSocket.frame(RawWebSocket.TEXT, oversized);
			// The header (2 bytes, a 16-bit length, the mask) and a little of the payload: the rest never comes, so
			// only a check of the header can answer it.
			ws.send(Arrays.copyOf(frame, 2 + 2 + 4 + 10));
			// Time for the event loop to read the header while onOpen still holds the old limit, as it could before
			// reads waited for onOpen; the outcome asserted does not depend on this pause.
			Thread.sleep(300);
			openGate.countDown();
			RawWebSocket.Frame close = ws.readClose();
			assertThat(close.closeCode()).isEqualTo(1009);
		}
		finally {
			openGate.countDown();
		}
	}

	@Test
	void aMessageWithinTheLimitSentRightAfterTheHandshakeIsDelivered() throws Exception {
		openGate = new CountDownLatch(1);
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/limited")) {
			ws.sendText("short");
			openGate.countDown();
			assertThat(ws.read().text()).isEqualTo("got short");
		}
		finally {
			openGate.countDown();
		}
	}

	/** Takes text messages of 16 bytes at most, a limit it sets in onOpen once the test lets it go on. */
	public static class LimitedEndpoint extends Endpoint {

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			try {
				openGate.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			session.setMaxTextMessageBufferSize(16);
			session.addMessageHandler(String.class,
					(MessageHandler.Whole<String>) (text) -> session.getAsyncRemote().sendText("got " + text));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LimitApplication {

		@Bean
		ServerEndpointExporter serverEndpointExporter() {
			return new ServerEndpointExporter();
		}

		@Bean
		ServerEndpointRegistration limited() {
			return new ServerEndpointRegistration("/limited", LimitedEndpoint.class);
		}

	}

}
