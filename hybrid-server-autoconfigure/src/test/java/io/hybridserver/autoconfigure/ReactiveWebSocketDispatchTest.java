package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.hybridserver.boot.InvalidServerSettingsException;
import io.hybridserver.testsupport.RawWebSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a WebFlux WebSocket session's signals run ({@code server.hybrid.reactive.websocket-dispatch}), and that each
 * place keeps the session's contract: messages in order, reading by the handler's demand, writing by the client's
 * pace, closes both ways. Every test runs with the session on workers (the default), on the event loop while HTTP
 * stays on workers ({@code websocket-dispatch=event-loop}), and with everything on the loop ({@code dispatch=event-loop}).
 */
class ReactiveWebSocketDispatchTest extends ReactiveWebSocketStartedAppTest {

	/** The configurations under test, and where a session's signals must then run. */
	enum Mode {

		WORKERS(false, false),

		WEBSOCKETS_ON_LOOP(true, false, "server.hybrid.reactive.websocket-dispatch=event-loop"),

		ALL_ON_LOOP(true, true, "server.hybrid.reactive.dispatch=event-loop");

		final boolean sessionsOnLoop;

		final boolean httpOnLoop;

		final String[] properties;

		Mode(boolean sessionsOnLoop, boolean httpOnLoop, String... properties) {
			this.sessionsOnLoop = sessionsOnLoop;
			this.httpOnLoop = httpOnLoop;
			this.properties = properties;
		}

	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void theHandlerAndEveryMessageRunWhereConfigured(Mode mode) throws Exception {
		int port = start(mode.properties);
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = connect(port, "/ws/threads", collector);
		List<String> deliveredOn = new ArrayList<>();
		String startedOn = null;
		for (int i = 0; i < 20; i++) {
			ws.sendText("m" + i, true).join();
			String[] answer = ((String) collector.next()).split("\\|");
			assertThat(answer[0]).isEqualTo("m" + i);
			deliveredOn.add(answer[1]);
			startedOn = answer[2];
		}
		if (mode.sessionsOnLoop) {
			// The connection's own loop, every time: no hand-off to another thread.
			assertThat(startedOn).startsWith("hybrid-io");
			assertThat(deliveredOn).containsOnly(startedOn);
		}
		else {
			assertThat(startedOn).startsWith("hybrid-worker-");
			assertThat(deliveredOn).allSatisfy((thread) -> assertThat(thread).startsWith("hybrid-worker-"));
		}
		// The HttpHandler keeps its own setting.
		String httpThread = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/thread")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(httpThread).startsWith(mode.httpOnLoop ? "hybrid-io" : "hybrid-worker-");
		ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("1000");
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void messagesSentWithoutWaitingComeBackInOrder(Mode mode) throws Exception {
		int port = start(mode.properties);
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = connect(port, "/ws/echo", collector);
		int count = 5000;
		String padding = "x".repeat(100);
		// Sent without waiting for answers, so that frames arrive many to a read and answers leave many to a run.
		CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
			for (int i = 0; i < count; i++) {
				ws.sendText(i + ":" + padding, true).join();
			}
		});
		for (int i = 0; i < count; i++) {
			assertThat(collector.next()).isEqualTo(i + ":" + padding);
		}
		sending.get(60, TimeUnit.SECONDS);
		ws.sendClose(4000, "bye").join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).startsWith("4000");
		awaitEvent("echo-closed:4000:bye");
	}

	// One mode: on workers the same case is ReactiveWebSocketServerFeaturesTest's; with everything on the loop the
	// sessions take the same path as here.
	@ParameterizedTest
	@EnumSource(value = Mode.class, names = "WEBSOCKETS_ON_LOOP")
	void aHandlerWithoutDemandLeavesTheClientsFramesInTheSocket(Mode mode) throws Exception {
		int port = start(mode.properties);
		// A raw socket writes as fast as TCP takes the bytes (the JDK client waits for each send), one frame repeated.
		byte[] frame = RawWebSocket.frame(RawWebSocket.BINARY, new byte[STALLED_MESSAGE_SIZE]);
		try (RawWebSocket ws = RawWebSocket.open(port, "/ws/stalled")) {
			pushAtTheStalledHandler(() -> ws.send(frame));
			ws.send(RawWebSocket.frame(RawWebSocket.CLOSE, RawWebSocket.closePayload(1000, "")));
			assertThat(ws.readClose().closeCode()).isEqualTo(1000);
		}
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void aClientThatReadsNothingHoldsTheSenderBack(Mode mode) throws Exception {
		int port = start(mode.properties);
		int messages = 4096;
		int messageSize = 16 * 1024;
		try (RawWebSocket ws = RawWebSocket.open(port, "/ws/flood")) {
			ws.sendText("flood " + messages);
			// The client reads nothing: the server writes until the socket and its send buffer are full, then waits.
			AtomicLong out = new AtomicLong();
			awaitStill(() -> {
				out.set(stats().bytesOut());
				return out.get();
			}, null);
			assertThat(out.get()).as("bytes the server wrote to a client that reads nothing")
				.isGreaterThan(0)
				.isLessThan(32L * 1024 * 1024);
			for (int i = 0; i < messages; i++) {
				RawWebSocket.Frame frame = ws.read();
				assertThat(frame.opcode()).isEqualTo(RawWebSocket.BINARY);
				assertThat(frame.payload()).hasSize(messageSize);
				assertThat(frame.payload()[0]).as("message %d in order", i).isEqualTo((byte) i);
			}
			assertThat(ws.readClose().closeCode()).isEqualTo(1000);
		}
		awaitEvent("flood-closed:1000");
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void theHandlersCloseReachesTheClient(Mode mode) throws Exception {
		int port = start(mode.properties);
		WebSocketApplicationTest.Collector collector = new WebSocketApplicationTest.Collector();
		WebSocket ws = connect(port, "/ws/closer", collector);
		ws.sendText("one", true).join();
		assertThat(collector.next()).isEqualTo("got one");
		ws.sendText("close", true).join();
		assertThat(collector.closed.get(20, TimeUnit.SECONDS)).isEqualTo("4002:done");
		awaitEvent("closer-closed:4002:done");
	}

	@Test
	void workersForWebSocketsNeedWorkersForHttp() {
		assertThatThrownBy(() -> start("server.hybrid.reactive.dispatch=event-loop",
				"server.hybrid.reactive.websocket-dispatch=workers"))
			.hasRootCauseInstanceOf(InvalidServerSettingsException.class)
			.rootCause()
			.hasMessageContaining("server.hybrid.reactive.websocket-dispatch=workers needs "
					+ "server.hybrid.reactive.dispatch=workers");
	}

	@Test
	void anUnknownWebSocketDispatchFailsTheStartup() {
		assertThatThrownBy(() -> start("server.hybrid.reactive.websocket-dispatch=loop"))
			.hasStackTraceContaining("server.hybrid.reactive.websocket-dispatch");
	}

}
