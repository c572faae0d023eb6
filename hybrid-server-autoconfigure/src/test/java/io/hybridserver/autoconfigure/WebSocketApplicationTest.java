package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;

import io.hybridserver.apps.websocket.WebSocketTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.servlet.websocket.HybridServerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket applications unchanged on the hybrid server, through the JDK's own client ({@link WebSocket}): Spring's
 * {@code @EnableWebSocket} handlers (which Spring upgrades with its {@code StandardWebSocketUpgradeStrategy}, the one
 * it uses on every container since Spring Framework 7), annotated and programmatic Jakarta endpoints deployed by
 * {@code ServerEndpointExporter}.
 */
@SpringBootTest(classes = WebSocketTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.hybrid.websocket.max-message-size=17MB", "server.hybrid.websocket.max-frame-size=17MB" })
class WebSocketApplicationTest extends WebSocketEventsTest {

	@LocalServerPort
	int port;

	@Autowired
	ServletWebServerApplicationContext context;

	@Autowired
	MeterRegistry meters;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Override
	BlockingQueue<String> events() {
		return WebSocketTestApplication.EVENTS;
	}

	/** Collects what the server sends, message by message (parts joined). */
	public static final class Collector implements WebSocket.Listener {

		final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();

		public final CompletableFuture<String> closed = new CompletableFuture<>();

		private final StringBuilder text = new StringBuilder();

		private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				this.messages.add(this.text.toString());
				this.text.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			byte[] bytes = new byte[data.remaining()];
			data.get(bytes);
			this.binary.writeBytes(bytes);
			if (last) {
				this.messages.add(this.binary.toByteArray());
				this.binary.reset();
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode + ":" + reason);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

		/**
		 * The next whole message. Two minutes: a 16 MiB echo under paranoid leak detection on a cold JVM took over a
		 * minute on the loaded 2-core machine, and the tests are about what arrives, not how fast.
		 */
		public Object next() throws InterruptedException {
			Object message = this.messages.poll(120, TimeUnit.SECONDS);
			assertThat(message).as("a message within 120 s").isNotNull();
			return message;
		}

	}

	private WebSocket connect(String path, Collector collector, String... subprotocols) {
		WebSocket.Builder builder = this.client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
		if (subprotocols.length > 0) {
			builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
		}
		return builder.buildAsync(URI.create("ws://127.0.0.1:" + this.port + path), collector).join();
	}

	@Test
	void theContainerIsOursAndTheServerIsHybrid() {
		assertThat(this.context.getWebServer()).isInstanceOf(HybridWebServer.class);
		assertThat(this.context.getServletContext().getAttribute("jakarta.websocket.server.ServerContainer"))
			.isInstanceOf(HybridServerContainer.class);
	}

	@Test
	void springTextWebSocketHandlerEchoesAndClosesWithItsCode() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/spring/echo", collector);
		ws.sendText("hello", true).join();
		assertThat(collector.next()).isEqualTo("spring:hello");
		ws.sendText("frag", false).join();
		ws.sendText("mented", true).join();
		assertThat(collector.next()).isEqualTo("spring:fragmented");
		ws.sendText("close", true).join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).isEqualTo("4001:asked to");
		awaitEvent("spring-closed:4001");
	}

	@Test
	void sessionsMessagesBytesAndClosesAreMetered() throws Exception {
		double messagesIn = counter("hybrid.server.websocket.messages", "direction", "in");
		double messagesOut = counter("hybrid.server.websocket.messages", "direction", "out");
		double bytesIn = counter("hybrid.server.websocket.bytes", "direction", "in");
		double normalCloses = counter("hybrid.server.websocket.closes", "code", "1000");
		Collector collector = new Collector();
		WebSocket ws = connect("/spring/echo", collector);
		ws.sendText("metered", true).join();
		assertThat(collector.next()).isEqualTo("spring:metered");
		assertThat(this.meters.get("hybrid.server.websocket.sessions").gauge().value()).isGreaterThanOrEqualTo(1);
		assertThat(counter("hybrid.server.websocket.messages", "direction", "in")).isEqualTo(messagesIn + 1);
		assertThat(counter("hybrid.server.websocket.messages", "direction", "out")).isEqualTo(messagesOut + 1);
		assertThat(counter("hybrid.server.websocket.bytes", "direction", "in")).isEqualTo(bytesIn + 7);
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		collector.closed.get(20, TimeUnit.SECONDS);
		awaitEvent("spring-closed:1000");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (counter("hybrid.server.websocket.closes", "code", "1000") < normalCloses + 1
				&& System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(counter("hybrid.server.websocket.closes", "code", "1000")).isGreaterThanOrEqualTo(normalCloses + 1);
	}

	private double counter(String name, String tag, String value) {
		return this.meters.get(name).tag(tag, value).functionCounter().count();
	}

	@Test
	void springBinaryHandlerEchoesBinary() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/spring/binary", collector);
		ws.sendBinary(ByteBuffer.wrap(new byte[] { 1, 2, 3, 0, -1 }), true).join();
		assertThat((byte[]) collector.next()).containsExactly(1, 2, 3, 0, -1);
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("1000");
	}

	@Test
	void annotatedEndpointGetsPathParametersAndEchoesTextAndBinary() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/echo/lobby?x=1", collector);
		ws.sendText("room", true).join();
		assertThat(collector.next()).isEqualTo("room:lobby");
		ws.sendText("uri", true).join();
		assertThat(collector.next()).isEqualTo("ws://127.0.0.1:" + this.port + "/jakarta/echo/lobby?x=1");
		ws.sendBinary(ByteBuffer.wrap(new byte[] { 9, 8, 7 }), true).join();
		assertThat((byte[]) collector.next()).containsExactly(9, 8, 7);
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("1000");
		awaitEvent("annotated-closed:1000");
	}

	@Test
	void largeMessagesEchoWhole() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/echo/big", collector);
		byte[] big = new byte[16 * 1024 * 1024];
		new java.util.Random(42).nextBytes(big);
		ws.sendBinary(ByteBuffer.wrap(big), true).join();
		assertThat((byte[]) collector.next()).isEqualTo(big);
		String text = "x".repeat(1024 * 1024) + "é€😀";
		ws.sendText(text, true).join();
		assertThat(collector.next()).isEqualTo(text);
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void pongsReachTheEndpoint() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/echo/p", collector);
		ws.sendPong(ByteBuffer.wrap("beat".getBytes())).join();
		assertThat(collector.next()).isEqualTo("pong:beat");
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void anEndpointThatThrowsHearsOfItInOnError() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/echo/e", collector);
		ws.sendText("throw", true).join();
		assertThat(collector.next()).isEqualTo("error:thrown on purpose");
		ws.sendText("still here", true).join();
		assertThat(collector.next()).isEqualTo("still here");
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void theEndpointClosesWithItsReason() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/echo/c", collector);
		ws.sendText("close", true).join();
		// The JDK client answers the close itself once onClose returns.
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).isEqualTo("1008:bye");
		awaitEvent("annotated-closed:1008");
	}

	@Test
	void anIdleSessionIsClosedWith1001() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/echo/idle", collector);
		ws.sendText("idle", true).join();
		assertThat(collector.next()).isEqualTo("idle:200");
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("1001:");
	}

	@Test
	void partialHandlersGetEachFrame() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/partial", collector);
		ws.sendText("ab", false).join();
		ws.sendText("cd", true).join();
		assertThat(collector.next()).isEqualTo("ab|false");
		assertThat(collector.next()).isEqualTo("cd|true");
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void subprotocolIsNegotiatedAndDecodersAndEncodersApply() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/chat", collector, "chat.v1", "chat.v2");
		assertThat(ws.getSubprotocol()).isEqualTo("chat.v2");
		ws.sendText("ann:hi there", true).join();
		assertThat(collector.next()).isEqualTo("[ann@chat.v2] hi there");
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void programmaticEndpointEchoesThroughTheAsyncRemote() throws Exception {
		Collector collector = new Collector();
		WebSocket ws = connect("/jakarta/programmatic", collector);
		ws.sendText("one", true).join();
		ws.sendText("two", true).join();
		assertThat(collector.next()).isEqualTo("programmatic:one");
		assertThat(collector.next()).isEqualTo("programmatic:two");
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		awaitEvent("programmatic-closed:1000");
	}

}
