package io.hybridserver.boot;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.Shutdown;

import io.hybridserver.http.HttpServerStats;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests beyond the request queue ({@code server.hybrid.request-queue-timeout}), with real sockets: one worker held
 * by a latch and a queue of one make "full" deterministic. Requests past it wait on their loops and are admitted in
 * arrival order as room frees; one that waits past the timeout gets 503 with {@code Retry-After}; a client that leaves
 * while waiting frees its place without reaching the application, one that only half-closes keeps it and is answered;
 * a shutdown answers everyone who waited.
 */
class RequestQueueTimeoutTest {

	private final List<HybridWebServer> servers = new ArrayList<>();

	private final List<RawHttpConnection> connections = new ArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private final CountDownLatch blocked = new CountDownLatch(1);

	/** The targets the application ran, in the order it ran them. */
	private final List<String> ran = new CopyOnWriteArrayList<>();

	@AfterEach
	void cleanUp() throws IOException {
		this.release.countDown();
		for (RawHttpConnection connection : this.connections) {
			connection.close();
		}
		this.servers.forEach(HybridWebServer::stop);
	}

	@Test
	void requestsOverTheQueuesCapacityWaitAndAreAllAnsweredInArrivalOrder() throws Exception {
		HybridWebServer server = start(Duration.ofSeconds(30), Shutdown.IMMEDIATE);
		RawHttpConnection first = holdTheWorkerAndFillTheQueue(server);
		List<RawHttpConnection> waiting = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			waiting.add(send(server, "/w" + i));
			int expected = i + 1;
			// One at a time, so that arrival order is known.
			awaitTrue(() -> server.getDispatcher().waitingRequests() == expected);
		}
		assertThat(server.getStats().exchangesInFlight()).isEqualTo(10);
		this.release.countDown();
		assertThat(first.readResponse().bodyText()).isEqualTo("/block");
		assertThat(this.connections.get(1).readResponse().bodyText()).isEqualTo("/queued");
		for (int i = 0; i < waiting.size(); i++) {
			Response response = waiting.get(i).readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("/w" + i);
		}
		assertThat(this.ran).containsExactly("/block", "/queued", "/w0", "/w1", "/w2", "/w3", "/w4", "/w5", "/w6",
				"/w7");
		assertThat(server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isZero();
		assertThat(server.getDispatcher().waitingRequests()).isZero();
		awaitTrue(() -> server.getStats().exchangesInFlight() == 0);
	}

	@Test
	void aRequestThatWaitsLongerThanTheTimeoutIsAnswered503WithRetryAfter() throws Exception {
		HybridWebServer server = start(Duration.ofMillis(300), Shutdown.IMMEDIATE);
		RawHttpConnection first = holdTheWorkerAndFillTheQueue(server);
		RawHttpConnection late = send(server, "/late");
		// Answered while the worker is still held: the timeout, not room, ended its wait.
		Response refused = late.readResponse();
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.header("Retry-After")).isEqualTo("3");
		assertThat(refused.header("Connection")).isEqualTo("close");
		assertThat(refused.bodyText()).isEqualTo("The server is overloaded; retry later");
		assertThat(late.isClosedByServer()).isTrue();
		assertThat(server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isEqualTo(1);
		assertThat(server.getStats().requests(HttpServerStats.http1(false), 5)).isEqualTo(1);
		assertThat(server.getDispatcher().waitingRequests()).isZero();
		this.release.countDown();
		assertThat(first.readResponse().status()).isEqualTo(200);
		assertThat(this.connections.get(1).readResponse().status()).isEqualTo(200);
		assertThat(this.ran).containsExactly("/block", "/queued");
		awaitTrue(() -> server.getStats().exchangesInFlight() == 0);
	}

	@Test
	void aClientThatLeavesWhileWaitingFreesItsPlaceAndNeverReachesTheApplication() throws Exception {
		HybridWebServer server = start(Duration.ofSeconds(30), Shutdown.IMMEDIATE);
		RawHttpConnection first = holdTheWorkerAndFillTheQueue(server);
		RawHttpConnection leaving = send(server, "/leaving");
		awaitTrue(() -> server.getDispatcher().waitingRequests() == 1);
		RawHttpConnection staying = send(server, "/staying");
		awaitTrue(() -> server.getDispatcher().waitingRequests() == 2);
		// Reset, not closed: a FIN alone says only that the client has stopped sending (see the half-close tests).
		leaving.socket().setSoLinger(true, 0);
		leaving.close();
		awaitTrue(() -> server.getDispatcher().waitingRequests() == 1);
		awaitTrue(() -> server.getStats().exchangesInFlight() == 3);
		this.release.countDown();
		assertThat(first.readResponse().status()).isEqualTo(200);
		assertThat(this.connections.get(1).readResponse().status()).isEqualTo(200);
		assertThat(staying.readResponse().bodyText()).isEqualTo("/staying");
		assertThat(this.ran).containsExactly("/block", "/queued", "/staying");
		awaitTrue(() -> server.getStats().exchangesInFlight() == 0);
	}

	@Test
	void aClientThatHalfClosesWhileWaitingIsAnsweredInItsTurnThenClosed() throws Exception {
		// One event loop, so that the probe's half-close below is handled after the waiting client's.
		HybridWebServer server = start(Duration.ofSeconds(30), Shutdown.IMMEDIATE, 1);
		RawHttpConnection first = holdTheWorkerAndFillTheQueue(server);
		// As curl, HTTP/1.0 clients and scripts do: the request, then the end of what the client sends.
		RawHttpConnection halfClosed = send(server, "/half", "HTTP/1.0");
		awaitTrue(() -> server.getDispatcher().waitingRequests() == 1);
		halfClosed.socket().shutdownOutput();
		assertServerHandledHalfCloses(server);
		assertThat(server.getDispatcher().waitingRequests()).as("the half-closed client's request still waits")
			.isEqualTo(1);
		this.release.countDown();
		assertThat(first.readResponse().status()).isEqualTo(200);
		assertThat(this.connections.get(1).readResponse().status()).isEqualTo(200);
		Response answered = halfClosed.readResponse();
		assertThat(answered.status()).isEqualTo(200);
		assertThat(answered.bodyText()).isEqualTo("/half");
		assertThat(halfClosed.isClosedByServer()).isTrue();
		assertThat(this.ran).containsExactly("/block", "/queued", "/half");
		awaitTrue(() -> server.getStats().exchangesInFlight() == 0);
	}

	@Test
	void aClientThatHalfClosesWhileWaitingPastTheTimeoutIsAnswered503ThenClosed() throws Exception {
		HybridWebServer server = start(Duration.ofMillis(500), Shutdown.IMMEDIATE, 1);
		RawHttpConnection first = holdTheWorkerAndFillTheQueue(server);
		RawHttpConnection halfClosed = send(server, "/half", "HTTP/1.1");
		awaitTrue(() -> server.getDispatcher().waitingRequests() == 1);
		halfClosed.socket().shutdownOutput();
		Response refused = halfClosed.readResponse();
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.header("Retry-After")).isEqualTo("3");
		assertThat(halfClosed.isClosedByServer()).isTrue();
		assertThat(server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isEqualTo(1);
		this.release.countDown();
		assertThat(first.readResponse().status()).isEqualTo(200);
		// Its answer, not the first one's, says that the queued request has run: the worker takes it afterwards.
		assertThat(this.connections.get(1).readResponse().status()).isEqualTo(200);
		assertThat(this.ran).containsExactly("/block", "/queued");
		awaitTrue(() -> server.getStats().exchangesInFlight() == 0);
	}

	@Test
	void aGracefulShutdownAnswersTheRequestsThatWait() throws Exception {
		HybridWebServer server = start(Duration.ofSeconds(30), Shutdown.GRACEFUL);
		RawHttpConnection first = holdTheWorkerAndFillTheQueue(server);
		RawHttpConnection w0 = send(server, "/w0");
		RawHttpConnection w1 = send(server, "/w1");
		awaitTrue(() -> server.getDispatcher().waitingRequests() == 2);
		AtomicReference<GracefulShutdownResult> result = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(1);
		server.shutDownGracefully((r) -> {
			result.set(r);
			done.countDown();
		});
		assertThat(done.await(300, TimeUnit.MILLISECONDS)).as("waits for the requests that wait").isFalse();
		this.release.countDown();
		assertThat(first.readResponse().status()).isEqualTo(200);
		assertThat(this.connections.get(1).readResponse().status()).isEqualTo(200);
		assertThat(w0.readResponse().bodyText()).isEqualTo("/w0");
		assertThat(w1.readResponse().bodyText()).isEqualTo("/w1");
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(result.get()).isEqualTo(GracefulShutdownResult.IDLE);
	}

	@Test
	void anImmediateStopAnswersTheRequestsThatWait503() throws Exception {
		HybridWebServer server = start(Duration.ofSeconds(30), Shutdown.IMMEDIATE);
		holdTheWorkerAndFillTheQueue(server);
		RawHttpConnection w0 = send(server, "/w0");
		awaitTrue(() -> server.getDispatcher().waitingRequests() == 1);
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stop);
		// Refused while the stop still waits for the running request.
		Response refused = w0.readResponse();
		assertThat(refused.status()).isEqualTo(503);
		assertThat(refused.header("Retry-After")).isNotNull();
		assertThat(this.connections.get(1).readResponse().status()).isEqualTo(503);
		assertThat(stopped).as("the stop still waits for the running request").isNotDone();
		this.release.countDown();
		stopped.get(30, TimeUnit.SECONDS);
		// The running request's answer races the stop's closing of connections; what matters here is that the
		// requests that never ran were answered, and that none of them ran.
		assertThat(this.ran).containsExactly("/block");
	}

	/**
	 * Waits until the server has closed a connection whose client half-closed it with nothing in flight. On one event
	 * loop that happens after the loop handled every half-close that came before it.
	 */
	private static void assertServerHandledHalfCloses(HybridWebServer server) throws IOException {
		try (RawHttpConnection probe = new RawHttpConnection(server.getPort(), 10_000)) {
			probe.socket().shutdownOutput();
			assertThat(probe.isClosedByServer()).isTrue();
		}
	}

	private HybridWebServer start(Duration timeout, Shutdown shutdown) {
		return start(timeout, shutdown, 2);
	}

	/** One worker, a queue of one: {@code /block} holds the worker until {@link #release}, and fills it. */
	private HybridWebServer start(Duration timeout, Shutdown shutdown, int ioThreads) {
		HybridWebServer server = TestServers.start((exchange) -> {
			this.ran.add(exchange.target());
			if (exchange.target().equals("/block")) {
				this.blocked.countDown();
				this.release.await(30, TimeUnit.SECONDS);
			}
			TestServers.respond(exchange, 200, exchange.target());
		}, (s) -> {
			s.setIoThreads(ioThreads);
			s.setWorkers(1);
			s.setRequestQueueCapacity(1);
			s.getHttp().setRequestQueueTimeout(timeout);
			s.getHttp().setRetryAfter(Duration.ofSeconds(3));
		}, shutdown);
		this.servers.add(server);
		return server;
	}

	/** Sends {@code /block} and {@code /queued} (connections 0 and 1): the worker is busy and the queue full. */
	private RawHttpConnection holdTheWorkerAndFillTheQueue(HybridWebServer server) throws Exception {
		RawHttpConnection first = send(server, "/block");
		assertThat(this.blocked.await(10, TimeUnit.SECONDS)).isTrue();
		send(server, "/queued");
		awaitTrue(() -> server.getDispatcher().queueDepth() == 1);
		return first;
	}

	private RawHttpConnection send(HybridWebServer server, String target) throws IOException {
		return send(server, target, "HTTP/1.1");
	}

	private RawHttpConnection send(HybridWebServer server, String target, String version) throws IOException {
		RawHttpConnection connection = new RawHttpConnection(server.getPort(), 20_000);
		this.connections.add(connection);
		connection.send("GET " + target + " " + version + "\r\nHost: x\r\n\r\n");
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
