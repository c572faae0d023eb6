package io.hybridserver.boot;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The waiting room ({@code server.hybrid.request-queue-timeout}) in the worker modes other than platform threads, with
 * real sockets: with virtual threads requests past a full queue wait and are admitted in arrival order, as with
 * platform workers; in event-loop mode nothing ever waits, since there is no queue to fill.
 */
class WaitingRoomWorkerModesTest {

	private final List<HybridWebServer> servers = new ArrayList<>();

	private final List<RawHttpConnection> connections = new ArrayList<>();

	private final List<String> ran = new CopyOnWriteArrayList<>();

	private final List<AtomicBoolean> spinners = new CopyOnWriteArrayList<>();

	private final AtomicInteger spinning = new AtomicInteger();

	@AfterEach
	void cleanUp() throws IOException {
		this.spinners.forEach((released) -> released.set(true));
		for (RawHttpConnection connection : this.connections) {
			connection.close();
		}
		this.servers.forEach(HybridWebServer::stop);
	}

	/**
	 * A virtual thread is started for every exchange, so the queue fills only when the threads cannot run: here every
	 * carrier thread of the virtual-thread scheduler is held by a handler that spins (a virtual thread that never parks
	 * keeps its carrier). Then one carrier is let go, and it runs the rest one virtual thread after another, each
	 * taking the exchange at the head of the queue: the order they ran in is the order they were admitted in.
	 */
	@Test
	void withVirtualThreadsRequestsPastAFullQueueWaitAndAreAnsweredInArrivalOrder() throws Exception {
		assumeTrue(Dispatcher.virtualThreadsSupported(), "virtual threads need Java 21+");
		int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
				Runtime.getRuntime().availableProcessors());
		assumeTrue(carriers <= 16, "a spinning handler per carrier thread; this JVM has " + carriers);
		HybridWebServer server = TestServers.start(this::spinOrAnswer, (s) -> {
			s.setVirtualThreads(true);
			s.setRequestQueueCapacity(1);
			s.getHttp().setRequestQueueTimeout(Duration.ofSeconds(30));
		});
		this.servers.add(server);
		for (int i = 0; i < carriers; i++) {
			this.spinners.add(new AtomicBoolean());
			send(server, "/spin" + i);
		}
		awaitTrue(() -> this.spinning.get() == carriers);
		send(server, "/queued");
		// Its virtual thread is started but has no carrier to run on.
		awaitTrue(() -> server.getDispatcher().queueDepth() == 1);
		List<RawHttpConnection> waiting = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			waiting.add(send(server, "/w" + i));
			int expected = i + 1;
			awaitTrue(() -> server.getDispatcher().waitingRequests() == expected);
		}
		this.spinners.get(0).set(true);
		assertThat(this.connections.get(carriers).readResponse().bodyText()).isEqualTo("/queued");
		for (int i = 0; i < waiting.size(); i++) {
			Response response = waiting.get(i).readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("/w" + i);
		}
		assertThat(this.ran).containsExactly("/queued", "/w0", "/w1", "/w2", "/w3", "/w4", "/w5");
		assertThat(server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isZero();
		assertThat(server.getDispatcher().waitingRequests()).isZero();
		this.spinners.forEach((released) -> released.set(true));
		for (int i = 0; i < carriers; i++) {
			assertThat(this.connections.get(i).readResponse().status()).isEqualTo(200);
		}
	}

	/**
	 * Handlers on the event loops take every request at once, however many are in progress: more than the queue's
	 * capacity here, none of them waiting or refused.
	 */
	@Test
	void onTheEventLoopsNothingWaitsWhateverTheQueuesCapacity() throws Exception {
		List<Exchange> held = new CopyOnWriteArrayList<>();
		HybridWebServer server = TestServers.start(held::add, (s) -> {
			s.setHandlersOnEventLoop(true);
			s.setRequestQueueCapacity(1);
			s.getHttp().setRequestQueueTimeout(Duration.ofSeconds(30));
		});
		this.servers.add(server);
		assertThat(server.getDispatcher().waitingRoom()).isNull();
		for (int i = 0; i < 8; i++) {
			send(server, "/r" + i);
		}
		awaitTrue(() -> held.size() == 8);
		assertThat(server.getStats().exchangesInFlight()).isEqualTo(8);
		assertThat(server.getDispatcher().waitingRequests()).isZero();
		for (Exchange exchange : held) {
			TestServers.respond(exchange, 200, exchange.target());
		}
		for (int i = 0; i < 8; i++) {
			assertThat(this.connections.get(i).readResponse().bodyText()).isEqualTo("/r" + i);
		}
		assertThat(server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isZero();
	}

	private void spinOrAnswer(Exchange exchange) throws IOException {
		String target = exchange.target();
		if (target.startsWith("/spin")) {
			AtomicBoolean released = this.spinners.get(Integer.parseInt(target.substring("/spin".length())));
			this.spinning.incrementAndGet();
			while (!released.get()) {
				// Never parks, so its carrier runs nothing else.
				Thread.onSpinWait();
			}
		}
		else {
			this.ran.add(target);
		}
		TestServers.respond(exchange, 200, target);
	}

	private RawHttpConnection send(HybridWebServer server, String target) throws IOException {
		RawHttpConnection connection = new RawHttpConnection(server.getPort(), 20_000);
		this.connections.add(connection);
		connection.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
		return connection;
	}

	private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime() - deadline).as("condition within 10 s").isNegative();
			Thread.sleep(5);
		}
	}

}
