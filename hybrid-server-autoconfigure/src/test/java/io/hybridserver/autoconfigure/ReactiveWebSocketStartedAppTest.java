package io.hybridserver.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication;
import io.hybridserver.apps.reactivewebsocket.ReactiveWebSocketTestApplication.Stalled;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.websocket.WebSocketStats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the WebFlux WebSocket tests that start {@link ReactiveWebSocketTestApplication} themselves share, each test with
 * properties of its own: starting and closing it, its WebSocket meters, a JDK client's connection, waiting for a value
 * to settle, and the stalled handler's case, in which a client pushes messages at a handler that asks for none.
 */
abstract class ReactiveWebSocketStartedAppTest extends WebSocketEventsTest {

	/** The size of each message pushed at the stalled handler. */
	static final int STALLED_MESSAGE_SIZE = 16 * 1024;

	private ConfigurableApplicationContext context;

	@Override
	BlockingQueue<String> events() {
		return ReactiveWebSocketTestApplication.EVENTS;
	}

	@BeforeEach
	void resetTheStalledHandler() {
		Stalled.reset();
	}

	@AfterEach
	void closeTheApplication() {
		Stalled.gate.countDown();
		if (this.context != null) {
			this.context.close();
		}
	}

	/** Starts the application on a free port with these properties; its port. */
	int start(String... properties) {
		this.context = new SpringApplicationBuilder(ReactiveWebSocketTestApplication.class)
			.properties("server.port=0", "spring.main.web-application-type=reactive")
			.properties(properties)
			.run();
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	WebSocketStats stats() {
		return ((HybridWebServer) ((WebServerApplicationContext) this.context).getWebServer()).getWebSocketStats();
	}

	static WebSocket connect(int port, String path, WebSocketApplicationTest.Collector collector) {
		return ReactiveWebSocketApplicationTest.connect(HttpClient.newHttpClient(), "ws://127.0.0.1:" + port + path,
				collector);
	}

	/** Waits until {@code value} stops moving for two seconds (or {@code done}, when given, completes): 60 s at most. */
	static void awaitStill(LongSupplier value, CompletableFuture<?> done) throws InterruptedException {
		long last = -1;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline && (done == null || !done.isDone())) {
			long now = value.getAsLong();
			if (now == last) {
				return;
			}
			last = now;
			Thread.sleep(2000);
		}
	}

	/**
	 * The stalled handler ({@code /ws/stalled}) takes one message and then asks for none: the client's messages of
	 * {@value #STALLED_MESSAGE_SIZE} bytes stay in the socket (the server decodes no more than its read buffer's worth,
	 * however much the client pushes), and once the handler asks, every one sent arrives.
	 *
	 * <p>The client could push 64 MiB, far more than the kernel's socket buffers on both sides hold; it stops once it
	 * has shown that it can push no more. Decoding all 64 MiB under paranoid leak detection only took time: about half a
	 * minute alone, and past the two minutes allowed on a busy two-core machine.
	 * @param sender sends one message of {@value #STALLED_MESSAGE_SIZE} bytes, waiting while the socket takes no more
	 */
	void pushAtTheStalledHandler(MessageSender sender) throws Exception {
		int most = 4096;
		AtomicLong sent = new AtomicLong();
		AtomicBoolean enough = new AtomicBoolean();
		CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
			try {
				for (int i = 0; i < most && !enough.get(); i++) {
					sender.sendOne();
					sent.incrementAndGet();
				}
			}
			catch (Exception ex) {
				throw new CompletionException(ex);
			}
		});
		long atLeast = 2L * 1024 * 1024 / STALLED_MESSAGE_SIZE;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		do {
			// Still for two seconds: the client can push no more (or, on a busy machine, its thread did not run).
			awaitStill(sent::get, sending);
		}
		while (sent.get() <= atLeast && !sending.isDone() && System.nanoTime() < deadline);
		assertThat(sending).as("the client pushed all 64 MiB into a handler that asks for nothing").isNotDone();
		assertThat(Stalled.received.get()).isEqualTo(1);
		// What the server decoded: the read buffer (64 KiB) and one socket read or so, not the megabytes sent.
		assertThat(stats().bytesIn()).isLessThan(1024 * 1024);
		assertThat(sent.get()).as("messages the socket took").isGreaterThan(atLeast);
		enough.set(true);
		Stalled.gate.countDown();
		// The message the client waits in is sent once the handler reads; then the client stops, and all it sent
		// reaches the handler. Two minutes is generous: the test is about where the bytes wait, not how fast they go.
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while ((!sending.isDone() || Stalled.received.get() < sent.get()) && System.nanoTime() < until) {
			Thread.sleep(50);
		}
		String progress = String.format("%d messages sent, %d taken by the handler, %d bytes decoded", sent.get(),
				Stalled.received.get(), stats().bytesIn());
		assertThat(sending).as("the client, after the handler asked: " + progress).isCompleted();
		sending.join();
		assertThat(Stalled.received.get()).as("messages the handler took: " + progress).isEqualTo(sent.get());
	}

	/** Sends one message of {@value #STALLED_MESSAGE_SIZE} bytes, returning once the socket took it. */
	@FunctionalInterface
	interface MessageSender {

		void sendOne() throws Exception;

	}

}
