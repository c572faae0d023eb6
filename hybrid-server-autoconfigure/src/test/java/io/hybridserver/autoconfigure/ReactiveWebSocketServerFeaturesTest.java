package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication;
import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication.Stalled;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.RawWebSocket;
import io.hybridserver.websocket.WebSocketStats;

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
class ReactiveWebSocketServerFeaturesTest {

	private ConfigurableApplicationContext context;

	@BeforeEach
	void reset() {
		ReactiveWebSocketTestApplication.EVENTS.clear();
		Stalled.reset();
	}

	@AfterEach
	void close() {
		Stalled.gate.countDown();
		if (this.context != null) {
			this.context.close();
		}
	}

	private int start(String... properties) {
		this.context = new SpringApplicationBuilder(ReactiveWebSocketTestApplication.class)
			.properties("server.port=0", "spring.main.web-application-type=reactive")
			.properties(properties)
			.run();
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	private WebSocketStats stats() {
		return ((HybridWebServer) ((WebServerApplicationContext) this.context).getWebServer()).getWebSocketStats();
	}

	private static WebSocket connect(int port, String path, WebSocketApplicationTest.Collector collector) {
		return HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + path), collector)
			.join();
	}

	@Test
	void aHandlerWithoutDemandLeavesTheClientsFramesInTheSocket() throws Exception {
		int port = start();
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = connect(port, "/ws/stalled", collector);
		int messageSize = 16 * 1024;
		int messages = 4096;
		AtomicLong sent = new AtomicLong();
		// 64 MiB: far more than the kernel's socket buffers on both sides can hold.
		CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < messages; i++) {
				ws.sendBinary(ByteBuffer.wrap(new byte[messageSize]), true).join();
				sent.incrementAndGet();
			}
		});
		// Wait until the client can push no more: its count stops moving for two seconds.
		long last = -1;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline && !sending.isDone()) {
			long now = sent.get();
			if (now == last) {
				break;
			}
			last = now;
			Thread.sleep(2000);
		}
		assertThat(sending).as("the client could not push all 64 MiB into a handler that asks for nothing").isNotDone();
		assertThat(Stalled.received.get()).isEqualTo(1);
		// What the server decoded: the read buffer (64 KiB) and one socket read or so, not the megabytes sent.
		assertThat(stats().bytesIn()).isLessThan(1024 * 1024);
		assertThat(sent.get() * messageSize).isGreaterThan(2L * 1024 * 1024);
		Stalled.gate.countDown();
		sending.get(120, TimeUnit.SECONDS);
		long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (Stalled.received.get() < messages && System.nanoTime() < waitUntil) {
			Thread.sleep(50);
		}
		assertThat(Stalled.received.get()).isEqualTo(messages);
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
		CompletableFuture<Void> closed = CompletableFuture.runAsync(this.context::close);
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
			this.context.close();
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

	private static void awaitEvent(String expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			String event = ReactiveWebSocketTestApplication.EVENTS.poll(1, TimeUnit.SECONDS);
			if (event != null && event.startsWith(expected)) {
				return;
			}
		}
		throw new AssertionError("No handler event " + expected + " within 20 s");
	}

}
