package io.hybridserver.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow request bodies against the platform worker pool, over real sockets (issue 18, items 4 and 5): the body gate
 * keeps a body that is still arriving in the I/O tier, the minimum data rate cuts bodies that crawl (408 from the I/O
 * tier, or a failed read on a worker), and an answer given without reading a body frees the worker at once. Every
 * test runs with one worker, so a body holding it would stall everyone else; none asserts on speed.
 */
class SlowRequestBodyTest {

	private HybridWebServer server;

	private final List<Thread> senders = new ArrayList<>();

	private final AtomicBoolean stopSending = new AtomicBoolean();

	@AfterEach
	void stop() throws InterruptedException {
		this.stopSending.set(true);
		for (Thread sender : this.senders) {
			sender.join(10_000);
		}
		if (this.server != null) {
			this.server.stop();
		}
	}

	private int start(ExchangeHandler handler, Consumer<HttpServerConfig> http) {
		this.server = TestServers.start(handler, (HybridServerSettings settings) -> {
			settings.setWorkers(1);
			http.accept(settings.getHttp());
		});
		return this.server.getPort();
	}

	/** Sends one byte every {@code periodMillis} until the test ends or the server closes. */
	private void trickle(RawHttpConnection connection, long periodMillis) {
		Thread sender = new Thread(() -> {
			OutputStream out = connection.output();
			try {
				while (!this.stopSending.get()) {
					out.write('x');
					out.flush();
					Thread.sleep(periodMillis);
				}
			}
			catch (IOException | InterruptedException ex) {
				// The server closed the connection: the trickle ends.
			}
		}, "trickle");
		sender.setDaemon(true);
		sender.start();
		this.senders.add(sender);
	}

	@Test
	void slowSmallBodiesDoNotHoldTheOnlyWorker() throws Exception {
		// No rate minimum and a long timeout: only the gate stands between these bodies and the worker.
		int port = start(TestServers::echo, (http) -> http.setMinRequestBodyRate(0)
			.setConnectionTimeout(Duration.ofSeconds(60)));
		List<RawHttpConnection> slow = new ArrayList<>();
		try {
			for (int i = 0; i < 5; i++) {
				RawHttpConnection connection = new RawHttpConnection(port, 15_000);
				connection.send("POST /slow" + i + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
				slow.add(connection);
			}
			try (RawHttpConnection fast = new RawHttpConnection(port, 15_000)) {
				fast.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(fast.readResponse().bodyText()).isEqualTo("GET /fast ");
			}
			// A body that finally completes still streams to the application whole.
			RawHttpConnection first = slow.get(0);
			first.send("cdefghij");
			Response echoed = first.readResponse();
			assertThat(echoed.bodyText()).isEqualTo("POST /slow0 abcdefghij");
			assertThat(echoed.header("connection")).isNull();
		}
		finally {
			for (RawHttpConnection connection : slow) {
				connection.close();
			}
		}
	}

	@Test
	void aSmallBodyIsHandedOverOnlyOnceItHasArrived() throws Exception {
		AtomicInteger availableAtStart = new AtomicInteger(-1);
		int port = start((exchange) -> {
			availableAtStart.set(exchange.requestBody().available());
			TestServers.echo(exchange);
		}, (http) -> {
		});
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("POST /late HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
			Thread.sleep(300);
			connection.send("hello");
			assertThat(connection.readResponse().bodyText()).isEqualTo("POST /late hello");
		}
		assertThat(availableAtStart.get()).isEqualTo(5);
	}

	@Test
	void aLargeBodyIsHandedOverOnceItsBufferIsFullAndStreamsOn() throws Exception {
		AtomicInteger availableAtStart = new AtomicInteger(-1);
		int port = start((exchange) -> {
			availableAtStart.set(exchange.requestBody().available());
			TestServers.respond(exchange, 200, "read " + TestServers.readBody(exchange).length);
		}, (http) -> http.setRequestBodyBufferSize(16 * 1024));
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("POST /large HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n");
			byte[] piece = new byte[1000];
			for (int i = 0; i < 200; i++) {
				connection.send(piece);
				if (i == 20) {
					Thread.sleep(300);
				}
			}
			assertThat(connection.readResponse().bodyText()).isEqualTo("read 200000");
		}
		assertThat(availableAtStart.get()).isGreaterThanOrEqualTo(16 * 1024);
	}

	@Test
	void aBodyBelowTheMinimumRateIsAnswered408ByTheIoTier() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		int port = start((exchange) -> {
			handled.incrementAndGet();
			TestServers.echo(exchange);
		}, (http) -> http.setMinRequestBodyRate(1000).setMinRequestBodyRateGrace(Duration.ofSeconds(1)));
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("POST /crawl HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
			trickle(connection, 100);
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(408);
			assertThat(response.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
		assertThat(handled.get()).as("the request never reached a worker").isZero();
		assertThat(this.server.getStats().rejections(Rejection.SLOW_BODY)).isEqualTo(1);
		// The worker is free for others all along.
		try (RawHttpConnection other = new RawHttpConnection(port, 15_000)) {
			other.send("POST /fine HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
			assertThat(other.readResponse().bodyText()).isEqualTo("POST /fine ok");
		}
	}

	@Test
	void aBodyThatStallsAtTheGateIsAnswered408AfterTheConnectionTimeout() throws Exception {
		int port = start(TestServers::echo, (http) -> http.setMinRequestBodyRate(0)
			.setConnectionTimeout(Duration.ofSeconds(1)));
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("POST /stall HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nsome");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(408);
			assertThat(connection.isClosedByServer()).isTrue();
		}
		assertThat(this.server.getStats().rejections(Rejection.SLOW_BODY)).isEqualTo(1);
	}

	@Test
	void aBodyCutShortByAHalfCloseAtTheGateIsAnswered400WithoutTheApplication() throws Exception {
		AtomicInteger handled = new AtomicInteger();
		int port = start((exchange) -> {
			handled.incrementAndGet();
			TestServers.echo(exchange);
		}, (http) -> {
		});
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n"
					+ "POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab");
			connection.socket().shutdownOutput();
			// The request pipelined before is answered first, in order.
			assertThat(connection.readResponse().bodyText()).isEqualTo("GET /before ");
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(400);
			assertThat(response.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
		assertThat(handled.get()).as("only the whole request reached the application").isEqualTo(1);
		assertThat(this.server.getStats().rejections(Rejection.BAD_REQUEST)).isEqualTo(1);
	}

	@Test
	void aWorkerReadingABodyBelowTheMinimumRateSeesItsReadTimeOut() throws Exception {
		AtomicReference<IOException> seen = new AtomicReference<>();
		int port = start((exchange) -> {
			try {
				TestServers.readBody(exchange);
				TestServers.respond(exchange, 200, "all read");
			}
			catch (IOException ex) {
				seen.set(ex);
				TestServers.respond(exchange, 408, "too slow");
			}
		}, (http) -> http.setRequestBodyBufferSize(16 * 1024)
			.setMinRequestBodyRate(20_000)
			.setMinRequestBodyRateGrace(Duration.ofSeconds(1)));
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			// Past the gate at once, then a crawl: the worker is reading when the rate is found too low.
			connection.send("POST /crawl HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
			connection.send(new byte[20 * 1024]);
			trickle(connection, 100);
			Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(408);
			assertThat(response.header("connection")).isEqualTo("close");
			assertThat(connection.isClosedByServer()).isTrue();
		}
		assertThat(seen.get()).isInstanceOf(java.net.SocketTimeoutException.class)
			.isInstanceOf(RequestBodyTimeoutException.class);
		assertThat(this.server.getStats().rejections(Rejection.SLOW_BODY)).isEqualTo(1);
	}

	@Test
	void aBodyAtAFineRatePasses() throws Exception {
		int port = start((exchange) -> TestServers.respond(exchange, 200,
				"read " + TestServers.readBody(exchange).length),
				(http) -> http.setRequestBodyBufferSize(16 * 1024)
					.setMinRequestBodyRate(20_000)
					.setMinRequestBodyRateGrace(Duration.ofSeconds(1)));
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			// About 200 KB/s for 1.5 s: ten times the minimum, for longer than the grace period.
			connection.send("POST /steady HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n");
			byte[] piece = new byte[10_000];
			for (int i = 0; i < 30; i++) {
				connection.send(piece);
				Thread.sleep(50);
			}
			Response response = connection.readResponse();
			assertThat(response.bodyText()).isEqualTo("read 300000");
			assertThat(response.header("connection")).isNull();
		}
		assertThat(this.server.getStats().rejections(Rejection.SLOW_BODY)).isZero();
	}

	@Test
	void timeTheApplicationTakesToConsumeDoesNotCountAgainstTheClient() throws Exception {
		// The handler sleeps before reading: the connection stops reading once the buffer is full, and that wait is
		// not the client's slowness, however long it lasts compared with the grace period.
		int port = start((exchange) -> {
			Thread.sleep(2_500);
			TestServers.respond(exchange, 200, "read " + TestServers.readBody(exchange).length);
		}, (http) -> http.setRequestBodyBufferSize(16 * 1024)
			.setMinRequestBodyRate(20_000)
			.setMinRequestBodyRateGrace(Duration.ofSeconds(1)));
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("POST /patient HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\n");
			connection.send(new byte[500_000]);
			assertThat(connection.readResponse().bodyText()).isEqualTo("read 500000");
		}
		assertThat(this.server.getStats().rejections(Rejection.SLOW_BODY)).isZero();
	}

	@Test
	void answerWithoutReadingASlowBodyArrivesAtOnceAndFreesTheWorker() throws Exception {
		int port = start((exchange) -> {
			if (exchange.target().equals("/deny")) {
				TestServers.respond(exchange, 401, "denied");
			}
			else {
				TestServers.echo(exchange);
			}
		}, (http) -> http.setRequestBodyBufferSize(16 * 1024)
			.setMinRequestBodyRate(0)
			.setConnectionTimeout(Duration.ofSeconds(60)));
		try (RawHttpConnection upload = new RawHttpConnection(port, 15_000)) {
			// Past the gate, so a worker has it, then a trickle that would last for hours.
			upload.send("POST /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
			upload.send(new byte[20 * 1024]);
			trickle(upload, 20);
			Response denied = upload.readResponse();
			assertThat(denied.status()).isEqualTo(401);
			assertThat(denied.header("connection")).isEqualTo("close");
			try (RawHttpConnection other = new RawHttpConnection(port, 15_000)) {
				other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(other.readResponse().bodyText()).isEqualTo("GET /other ");
			}
		}
	}

	@Test
	void expectContinuePassesTheGateSoTheApplicationCanInviteTheBody() throws Exception {
		int port = start(TestServers::echo, (http) -> {
		});
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("POST /invite HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
			assertThat(connection.readResponse().status()).isEqualTo(100);
			connection.send("hello".getBytes(StandardCharsets.US_ASCII));
			assertThat(connection.readResponse().bodyText()).isEqualTo("POST /invite hello");
		}
	}

}
