package io.hybridserver.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
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
 * the client's first frame. A client that waits for the 101 gets it only once {@code onOpen} has returned; frames a
 * client sends behind its handshake without waiting are held until then, so an oversized message is refused with 1009
 * from its frame header, before its payload is buffered, wherever its frame was. Real sockets, a real Spring Boot
 * application.
 */
@SpringBootTest(classes = WebSocketOnOpenLimitsTest.LimitApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
class WebSocketOnOpenLimitsTest {

	/** Holds the endpoint's onOpen until the test lets it go on. */
	static volatile CountDownLatch openGate = new CountDownLatch(0);

	@LocalServerPort
	int port;

	/**
	 * The header (2 bytes, a 16-bit length, the mask) and a little of an oversized text frame's payload: the rest
	 * never comes, so only a check of the header can answer it.
	 */
	private static byte[] oversizedFrameStart() {
		byte[] oversized = new byte[1000];
		Arrays.fill(oversized, (byte) 'a');
		return Arrays.copyOf(RawWebSocket.frame(RawWebSocket.TEXT, oversized), 2 + 2 + 4 + 10);
	}

	/**
	 * Lets onOpen go on in 300 ms, from another thread: time for the event loop to read what the client sent while
	 * onOpen still holds the old limit, as it could if frames behind the handshake were not held. The outcome asserted
	 * does not depend on this pause.
	 */
	private static void openSoon() {
		CountDownLatch gate = openGate;
		CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(gate::countDown);
	}

	@Test
	void aLimitSetInOnOpenRefusesAnOversizedFrameSentBehindTheHandshakeFromItsHeader() throws Exception {
		openGate = new CountDownLatch(1);
		openSoon();
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/limited", oversizedFrameStart())) {
			RawWebSocket.Frame close = ws.readClose();
			assertThat(close.closeCode()).isEqualTo(1009);
		}
		finally {
			openGate.countDown();
		}
	}

	@Test
	void aLimitSetInOnOpenRefusesAnOversizedFrameSentAfterThe101() throws Exception {
		openGate = new CountDownLatch(1);
		openSoon();
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/limited")) {
			ws.send(oversizedFrameStart());
			RawWebSocket.Frame close = ws.readClose();
			assertThat(close.closeCode()).isEqualTo(1009);
		}
		finally {
			openGate.countDown();
		}
	}

	@Test
	void aMessageWithinTheLimitSentBehindTheHandshakeIsDelivered() throws Exception {
		openGate = new CountDownLatch(1);
		openSoon();
		try (RawWebSocket ws = RawWebSocket.open(this.port, "/limited",
				RawWebSocket.frame(RawWebSocket.TEXT, "short".getBytes(StandardCharsets.UTF_8)))) {
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
