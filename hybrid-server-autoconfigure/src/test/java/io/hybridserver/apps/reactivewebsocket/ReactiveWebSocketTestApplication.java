package io.hybridserver.apps.reactivewebsocket;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.reactivestreams.Subscription;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application with {@link WebSocketHandler}s, as applications declare them (a {@link SimpleUrlHandlerMapping}
 * and nothing else: no {@code WebSocketHandlerAdapter}, no upgrade strategy): an echo, a handler that closes with a
 * code of its own, a handler that takes one message and then nothing until a test lets it (for backpressure), one
 * that tells on which threads it runs, and one that floods its client (for a slow client).
 */
@SpringBootApplication
public class ReactiveWebSocketTestApplication {

	/** What the handlers saw of closes and errors, for the tests to wait on. */
	public static final BlockingQueue<String> EVENTS = new LinkedBlockingQueue<>();

	/** The stalled handler: messages it took, the thread the handler ran on, and the gate that lets it go on. */
	public static final class Stalled {

		public static final AtomicLong received = new AtomicLong();

		public static final AtomicReference<String> handlerThread = new AtomicReference<>();

		public static volatile CountDownLatch gate = new CountDownLatch(1);

		public static void reset() {
			received.set(0);
			handlerThread.set(null);
			gate = new CountDownLatch(1);
		}

	}

	@Bean
	RouterFunction<ServerResponse> plain() {
		return RouterFunctions.route()
			.GET("/plain", (request) -> ServerResponse.ok().bodyValue("plain"))
			.GET("/thread", (request) -> ServerResponse.ok().bodyValue(Thread.currentThread().getName()))
			.build();
	}

	@Bean
	HandlerMapping webSocketMapping() {
		return new SimpleUrlHandlerMapping(Map.of("/ws/echo", echo(), "/ws/closer", closer(), "/ws/stalled",
				stalled(), "/ws/threads", threads(), "/ws/flood", flood()), -1);
	}

	/** Echoes text and binary messages whole; records errors and the close status it hears. */
	private static WebSocketHandler echo() {
		return (session) -> {
			record(session, "echo");
			return session.send(session.receive()
				.doOnError((ex) -> EVENTS.add("echo-error:" + ex))
				.filter((message) -> message.getType() != WebSocketMessage.Type.PONG)
				.map((message) -> copy(session, message)));
		};
	}

	/**
	 * Answers each text message with the message, the thread that delivered it and the thread the handler started on
	 * ({@code text|delivered-on|started-on}), to show where a session's signals run.
	 */
	private static WebSocketHandler threads() {
		return (session) -> {
			record(session, "threads");
			String startedOn = Thread.currentThread().getName();
			return session.send(session.receive()
				.map((message) -> session.textMessage(message.getPayloadAsText() + "|"
						+ Thread.currentThread().getName() + "|" + startedOn)));
		};
	}

	/**
	 * On "flood N", sends N binary messages of 16 KiB (the first byte numbers them, mod 256), then closes with 1000
	 * once the last is written: for a slow client.
	 */
	private static WebSocketHandler flood() {
		return (session) -> {
			record(session, "flood");
			return session.send(session.receive()
				.take(1)
				.map((message) -> Integer.parseInt(message.getPayloadAsText().substring("flood ".length())))
				.flatMap((count) -> Flux.range(0, count))
				.map((i) -> {
					byte[] payload = new byte[16 * 1024];
					payload[0] = (byte) (int) i;
					return session.binaryMessage((factory) -> factory.wrap(payload));
				}));
		};
	}

	/** Answers each message until it reads "close", then closes with 4002. */
	private static WebSocketHandler closer() {
		return (session) -> {
			record(session, "closer");
			return session.receive()
				.map(WebSocketMessage::getPayloadAsText)
				.concatMap((text) -> "close".equals(text) ? session.close(new CloseStatus(4002, "done"))
						: session.send(Mono.just(session.textMessage("got " + text))))
				.then();
		};
	}

	/** Takes one message, then asks for nothing more until the gate opens; then takes everything. */
	private static WebSocketHandler stalled() {
		return (session) -> {
			record(session, "stalled");
			Stalled.handlerThread.set(Thread.currentThread().getName());
			return Mono.create((sink) -> session.receive().subscribe(new BaseSubscriber<WebSocketMessage>() {

				@Override
				protected void hookOnSubscribe(Subscription subscription) {
					request(1);
				}

				@Override
				protected void hookOnNext(WebSocketMessage message) {
					if (Stalled.received.incrementAndGet() == 1) {
						Thread waiter = new Thread(() -> {
							try {
								Stalled.gate.await();
							}
							catch (InterruptedException ex) {
								Thread.currentThread().interrupt();
							}
							request(Long.MAX_VALUE);
						}, "stalled-gate");
						waiter.setDaemon(true);
						waiter.start();
					}
				}

				@Override
				protected void hookOnComplete() {
					sink.success();
				}

				@Override
				protected void hookOnError(Throwable failure) {
					sink.error(failure);
				}

			}));
		};
	}

	private static void record(WebSocketSession session, String name) {
		session.closeStatus()
			.subscribe((status) -> EVENTS.add(name + "-closed:" + status.getCode() + ":" + status.getReason()));
	}

	private static WebSocketMessage copy(WebSocketSession session, WebSocketMessage message) {
		if (message.getType() == WebSocketMessage.Type.TEXT) {
			return session.textMessage(message.getPayloadAsText());
		}
		byte[] bytes = new byte[message.getPayload().readableByteCount()];
		message.getPayload().read(bytes);
		return session.binaryMessage((factory) -> factory.wrap(bytes));
	}

}
