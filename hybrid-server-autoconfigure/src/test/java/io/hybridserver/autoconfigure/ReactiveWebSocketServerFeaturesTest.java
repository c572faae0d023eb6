package io.hybridserver.autoconfigure;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication.Stalled;
import io.hybridserver.testsupport.RawWebSocket;

import static io.hybridserver.testsupport.RawWebSocket.CONTINUATION;
import static io.hybridserver.testsupport.RawWebSocket.TEXT;
import static io.hybridserver.testsupport.RawWebSocket.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebFlux WebSocket with the server's limits and lifecycle, each in an application of its own with the default
 * {@code server.hybrid.websocket.*} limits: a handler that asks for nothing leaves the client's frames in the socket
 * (the server decodes no more than its read buffer's worth, however much the client pushes), a message over the
 * message size is closed with 1009, graceful shutdown closes sessions with 1001, and handlers run on the event loop
 * when {@code server.hybrid.reactive.dispatch=event-loop}, on workers otherwise.
 */
class ReactiveWebSocketServerFeaturesTest extends ReactiveWebSocketStartedAppTest {

	@Test
	void aHandlerWithoutDemandLeavesTheClientsFramesInTheSocket() throws Exception {
		int port = start();
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = connect(port, "/ws/stalled", collector);
		pushAtTheStalledHandler(() -> ws.sendBinary(ByteBuffer.wrap(new byte[STALLED_MESSAGE_SIZE]), true).join());
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("1000");
	}

	@Test
	void aMessageOverTheMessageSizeIsClosedWith1009() throws Exception {
		int port = start();
		byte[] part = new byte[40 * 1024];
		java.util.Arrays.fill(part, (byte) 'a');
		try (RawWebSocket ws = RawWebSocket.open(port, "/ws/echo")) {
			ws.sendText("small ok");
			assertThat(ws.read().text()).isEqualTo("small ok");
			ws.send(frame(false, 0, TEXT, part, true));
			ws.send(frame(true, 0, CONTINUATION, part, true));
			assertThat(ws.readClose().closeCode()).isEqualTo(1009);
		}
		awaitEvent("echo-closed:1009");
	}

	@Test
	void gracefulShutdownClosesSessionsWith1001() throws Exception {
		int port = start("server.shutdown=graceful");
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = connect(port, "/ws/echo", collector);
		ws.sendText("before", true).join();
		assertThat(collector.next()).isEqualTo("before");
		CompletableFuture<Void> closed = CompletableFuture.runAsync(context()::close);
		assertThat(collector.closed.get(30, TimeUnit.SECONDS)).startsWith("1001:");
		closed.get(60, TimeUnit.SECONDS);
		awaitEvent("echo-closed:1001");
	}

	@Test
	void immediateShutdownStillSendsOpenSessions1001() throws Exception {
		int port = start("server.shutdown=immediate");
		try (RawWebSocket ws = RawWebSocket.open(port, "/ws/echo")) {
			ws.sendText("before");
			assertThat(ws.read().text()).isEqualTo("before");
			context().close();
			assertThat(ws.readClose().closeCode()).isEqualTo(1001);
			assertThat(ws.isClosedByServer()).isTrue();
		}
	}

	@Test
	void handlersRunOnWorkersByDefault() throws Exception {
		int port = start();
		WebSocket ws = connect(port, "/ws/stalled", new WebSocketApplicationTest.Collector());
		awaitHandlerThread();
		assertThat(Stalled.handlerThread.get()).startsWith("hybrid-worker-");
		ws.abort();
	}

	@Test
	void handlersRunOnTheEventLoopWhenDispatchIsEventLoop() throws Exception {
		int port = start("server.hybrid.reactive.dispatch=event-loop");
		WebSocket ws = connect(port, "/ws/stalled", new WebSocketApplicationTest.Collector());
		awaitHandlerThread();
		assertThat(Stalled.handlerThread.get()).startsWith("hybrid-io");
		ws.abort();
	}

	private static void awaitHandlerThread() throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (Stalled.handlerThread.get() == null && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

}
