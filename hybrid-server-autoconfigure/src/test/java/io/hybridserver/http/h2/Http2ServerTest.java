package io.hybridserver.http.h2;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.RawH2Connection;
import io.hybridserver.testsupport.TestServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HTTP/2 on the engine, over real sockets: h2c by prior knowledge next to HTTP/1.1 on one port, many streams on one
 * connection, a full request queue answered 503 on one stream only, and flow control as backpressure both ways.
 */
class Http2ServerTest {

	private HybridWebServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
	}

	private int start(ExchangeHandler handler, Consumer<HybridServerSettings> settings) {
		this.server = TestServers.start(handler, (s) -> {
			s.getHttp2().setEnabled(true);
			settings.accept(s);
		});
		return this.server.getPort();
	}

	private static void respondProtocol(Exchange exchange) throws IOException {
		byte[] body = TestServers.readBody(exchange);
		TestServers.respond(exchange, 200, exchange.protocol() + " " + exchange.method() + " " + exchange.target() + " "
				+ exchange.requestHeaders().get("host") + " " + new String(body, StandardCharsets.UTF_8));
	}

	@Test
	void priorKnowledgeMakesAnHttp2Exchange() throws Exception {
		int port = start(Http2ServerTest::respondProtocol, (s) -> {
		});
		try (H2cClient client = new H2cClient(port)) {
			H2cClient.Response get = client.get("/a?b=c").get(10, TimeUnit.SECONDS);
			assertThat(get.status()).isEqualTo(200);
			assertThat(get.text()).isEqualTo("HTTP/2.0 GET /a?b=c 127.0.0.1:" + port + " ");
			assertThat(get.headers().get("content-length")).hasToString(String.valueOf(get.body().length));
			assertThat(get.headers().get("date")).isNotNull();
			H2cClient.Response post = client
				.send("POST", "/p", Map.of("content-type", "text/plain"), "body".getBytes(StandardCharsets.UTF_8), true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(post.text()).isEqualTo("HTTP/2.0 POST /p 127.0.0.1:" + port + " body");
		}
		assertThat(this.server.getStats().requests(HttpServerStats.H2C, 2)).isEqualTo(2);
	}

	@Test
	void http11IsStillServedOnTheSamePort() throws Exception {
		int port = start(Http2ServerTest::respondProtocol, (s) -> {
		});
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
		assertThat(response.body()).startsWith("HTTP/1.1 GET /x");
	}

	@Test
	void hundredConcurrentStreamsOnOneConnection() throws Exception {
		int streams = 100;
		CountDownLatch allArrived = new CountDownLatch(streams);
		int port = start((exchange) -> {
			allArrived.countDown();
			// Every stream waits for all the others: they really are in flight together.
			try {
				allArrived.await(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			respondProtocol(exchange);
		}, (s) -> s.setWorkers(streams));
		try (H2cClient client = new H2cClient(port)) {
			List<CompletableFuture<H2cClient.Response>> responses = new ArrayList<>();
			for (int i = 0; i < streams; i++) {
				responses.add(client.send("POST", "/s" + i, Map.of(), ("n" + i).getBytes(StandardCharsets.UTF_8), true)
					.response());
			}
			for (int i = 0; i < streams; i++) {
				H2cClient.Response response = responses.get(i).get(30, TimeUnit.SECONDS);
				assertThat(response.status()).isEqualTo(200);
				assertThat(response.text()).startsWith("HTTP/2.0 POST /s" + i + " ").endsWith(" n" + i);
			}
		}
	}

	@Test
	void fullRequestQueueAnswers503OnThatStreamOnly() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch workerBusy = new CountDownLatch(1);
		int port = start((exchange) -> {
			if (exchange.target().startsWith("/block")) {
				workerBusy.countDown();
				try {
					release.await(20, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			respondProtocol(exchange);
		}, (s) -> {
			s.setWorkers(1);
			s.setRequestQueueCapacity(1);
			s.getHttp().setRequestQueueTimeout(Duration.ZERO);
		});
		try (H2cClient client = new H2cClient(port)) {
			CompletableFuture<H2cClient.Response> first = client.get("/block1");
			assertThat(workerBusy.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<H2cClient.Response> queued = client.get("/queued");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.server.getDispatcher().queueDepth() == 1);
			H2cClient.Response refused = client.get("/refused").get(10, TimeUnit.SECONDS);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.headers().get("retry-after")).hasToString("1");
			assertThat(refused.headers().get("content-type")).hasToString("text/plain;charset=UTF-8");
			assertThat(refused.text()).isEqualTo("The server is overloaded; retry later");
			assertThat(first).isNotDone();
			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).text()).startsWith("HTTP/2.0 GET /block1");
			assertThat(queued.get(10, TimeUnit.SECONDS).text()).startsWith("HTTP/2.0 GET /queued");
			assertThat(client.get("/after").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			assertThat(client.isOpen()).isTrue();
		}
		assertThat(this.server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isEqualTo(1);
		assertThat(this.server.getStats().requests(HttpServerStats.H2C, 5)).as("h2c SERVER_ERROR").isEqualTo(1);
	}

	@Test
	void streamsBeyondAFullRequestQueueWaitForRoomAndAreAllAnswered() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch workerBusy = new CountDownLatch(1);
		int port = start(blockingOnce(workerBusy, release), (s) -> {
			s.setWorkers(1);
			s.setRequestQueueCapacity(1);
			s.getHttp().setRequestQueueTimeout(Duration.ofSeconds(30));
		});
		try (H2cClient client = new H2cClient(port)) {
			CompletableFuture<H2cClient.Response> first = client.get("/block1");
			assertThat(workerBusy.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<H2cClient.Response> queued = client.get("/queued");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.getDispatcher().queueDepth() == 1);
			List<CompletableFuture<H2cClient.Response>> waiting = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				waiting.add(client.get("/w" + i));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.getDispatcher().waitingRequests() == 3);
			assertThat(waiting).noneMatch(CompletableFuture::isDone);
			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			assertThat(queued.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			for (int i = 0; i < waiting.size(); i++) {
				assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).text()).startsWith("HTTP/2.0 GET /w" + i);
			}
			assertThat(client.isOpen()).isTrue();
		}
		assertThat(this.server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isZero();
		assertThat(this.server.getDispatcher().waitingRequests()).isZero();
	}

	@Test
	void aStreamThatWaitsPastTheRequestQueueTimeoutIsAnswered503AloneAndTheConnectionGoesOn() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch workerBusy = new CountDownLatch(1);
		int port = start(blockingOnce(workerBusy, release), (s) -> {
			s.setWorkers(1);
			s.setRequestQueueCapacity(1);
			s.getHttp().setRequestQueueTimeout(Duration.ofMillis(300));
		});
		try (H2cClient client = new H2cClient(port)) {
			CompletableFuture<H2cClient.Response> first = client.get("/block1");
			assertThat(workerBusy.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<H2cClient.Response> queued = client.get("/queued");
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.getDispatcher().queueDepth() == 1);
			H2cClient.Response refused = client.get("/late").get(10, TimeUnit.SECONDS);
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.headers().get("retry-after")).hasToString("1");
			assertThat(refused.text()).isEqualTo("The server is overloaded; retry later");
			assertThat(first).isNotDone();
			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			assertThat(queued.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			assertThat(client.get("/after").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			assertThat(client.isOpen()).isTrue();
		}
		assertThat(this.server.getStats().rejections(HttpServerStats.Rejection.QUEUE_FULL)).isEqualTo(1);
		assertThat(this.server.getStats().requests(HttpServerStats.H2C, 5)).as("h2c SERVER_ERROR").isEqualTo(1);
	}

	/** Holds the worker on {@code /block…} until {@code release}; answers every request with its protocol line. */
	private static ExchangeHandler blockingOnce(CountDownLatch workerBusy, CountDownLatch release) {
		return (exchange) -> {
			if (exchange.target().startsWith("/block")) {
				workerBusy.countDown();
				release.await(20, TimeUnit.SECONDS);
			}
			respondProtocol(exchange);
		};
	}

	@Test
	void requestBodyWindowIsGivenBackOnlyAsTheApplicationReads() throws Exception {
		int window = 16 * 1024;
		CountDownLatch startReading = new CountDownLatch(1);
		AtomicInteger bufferedBeforeReading = new AtomicInteger(-1);
		int port = start((exchange) -> {
			if (exchange.target().equals("/first")) {
				byte[] body = TestServers.readBody(exchange);
				TestServers.respond(exchange, 200, body.length + " " + checksum(body));
				return;
			}
			// Nothing read yet: the client may send one stream window, and no more.
			await().atMost(Duration.ofSeconds(10)).until(() -> exchange.requestBody().available() >= window);
			try {
				startReading.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			bufferedBeforeReading.set(exchange.requestBody().available());
			byte[] body = TestServers.readBody(exchange);
			TestServers.respond(exchange, 200, body.length + " " + checksum(body));
		}, (s) -> s.getHttp2().setInitialWindowSize(window));
		byte[] upload = pattern(1024 * 1024);
		try (H2cClient client = new H2cClient(port)) {
			// A first exchange: the server's SETTINGS, which come before any response, have then reached the client.
			// Until they do, a client may send the protocol's default window of 65,535 bytes.
			assertThat(client.send("POST", "/first", Map.of(), new byte[1], true).response().get(10, TimeUnit.SECONDS)
				.text()).startsWith("1 ");
			CompletableFuture<H2cClient.Response> response = client.send("POST", "/upload", Map.of(), upload, true)
				.response();
			// Time for a client that ignored the window, or a server that gave it back unasked, to send more.
			Thread.sleep(300);
			startReading.countDown();
			H2cClient.Response answer = response.get(30, TimeUnit.SECONDS);
			assertThat(answer.text()).isEqualTo(upload.length + " " + checksum(upload));
		}
		assertThat(bufferedBeforeReading.get()).isEqualTo(window);
	}

	@Test
	void aClientThatStopsReadingStopsTheWriter() throws Exception {
		int total = 4 * 1024 * 1024;
		int chunk = 8 * 1024;
		AtomicLong written = new AtomicLong();
		AtomicBoolean finished = new AtomicBoolean();
		AtomicReference<Thread> writer = new AtomicReference<>();
		int port = start((exchange) -> {
			writer.set(Thread.currentThread());
			exchange.commit(200, total);
			byte[] bytes = pattern(chunk);
			for (int sent = 0; sent < total; sent += chunk) {
				exchange.write(bytes, 0, chunk);
				written.addAndGet(chunk);
			}
			finished.set(true);
			exchange.complete();
		}, (s) -> {
		});
		try (H2cClient client = new H2cClient(port)) {
			H2cClient.Stream stream = client.send("GET", "/download", Map.of(), null, false);
			// The client's stream window (65,535 bytes) fills, the response waits in the codec for window, and the
			// writer stops at the high-water mark (64 KiB) instead of queueing 4 MiB.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> writer.get() != null && writer.get().getState() == Thread.State.TIMED_WAITING
						&& written.get() > 0);
			assertThat(finished).isFalse();
			assertThat(written.get()).isLessThanOrEqualTo(65_535 + 64 * 1024 + chunk);
			stream.channel().config().setAutoRead(true);
			stream.channel().read();
			H2cClient.Response response = stream.response().get(30, TimeUnit.SECONDS);
			assertThat(response.body()).hasSize(total);
		}
		assertThat(finished).isTrue();
	}

	@Test
	void aStreamResetByTheClientIsLostToTheApplicationAlone() throws Exception {
		CountDownLatch lost = new CountDownLatch(1);
		AtomicBoolean openAfterLoss = new AtomicBoolean(true);
		CountDownLatch arrived = new CountDownLatch(1);
		int port = start((exchange) -> {
			if (exchange.target().equals("/wait")) {
				exchange.onConnectionLost(lost::countDown);
				arrived.countDown();
				try {
					lost.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				openAfterLoss.set(exchange.isOpen());
				exchange.complete();
				return;
			}
			respondProtocol(exchange);
		}, (s) -> {
		});
		try (H2cClient client = new H2cClient(port)) {
			H2cClient.Stream waiting = client.send("GET", "/wait", Map.of(), null, true);
			assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
			// Closing an open stream's channel sends RST_STREAM(CANCEL).
			waiting.channel().close().sync();
			assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(client.get("/next").get(10, TimeUnit.SECONDS).text()).startsWith("HTTP/2.0 GET /next");
		}
		assertThat(openAfterLoss).isFalse();
	}

	@Test
	void aHeaderListOverTheLimitIsAnswered431() throws Exception {
		int port = start(Http2ServerTest::respondProtocol, (s) -> s.getHttp2().setMaxHeaderListSize(4096));
		try (H2cClient client = new H2cClient(port)) {
			// After a first exchange the server's SETTINGS, with the limit, are in force.
			assertThat(client.get("/first").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			// Just over the limit: the stream alone is answered 431 and the connection goes on.
			H2cClient.Response response = client.send("GET", "/big", Map.of("x-big", "v".repeat(4300)), null, true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(431);
			assertThat(client.get("/after").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			// Far over it (more than a quarter over, the codec's rule against HPACK bombs): GOAWAY, and the
			// connection closes.
			client.send("GET", "/huge", Map.of("x-big", "v".repeat(8192)), null, true);
			await().atMost(Duration.ofSeconds(10)).until(() -> !client.isOpen());
			assertThat(client.goAway()).isNotNull();
		}
	}

	@Test
	void anIdleConnectionGetsGoAwayAndCloses() throws Exception {
		int port = start(Http2ServerTest::respondProtocol, (s) -> s.getHttp().setKeepAliveTimeout(Duration.ofMillis(500)));
		try (H2cClient client = new H2cClient(port)) {
			assertThat(client.get("/once").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10)).until(() -> !client.isOpen());
			assertThat(client.goAway()).isNotNull();
			assertThat(client.goAway().errorCode()).isZero();
		}
	}

	private static byte[] pattern(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (i * 31 + (i >>> 8));
		}
		return bytes;
	}

	private static long checksum(byte[] bytes) {
		java.util.zip.CRC32 crc = new java.util.zip.CRC32();
		crc.update(bytes);
		return crc.getValue();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aClientResetIsNoWarning(CapturedOutput output) throws Exception {
		int port = start(Http2ServerTest::respondProtocol, (s) -> {
		});
		for (int i = 0; i < 5; i++) {
			RawH2Connection client = new RawH2Connection(port);
			client.frame(RawH2Connection.PING, 0, 0, new byte[8]);
			await().atMost(Duration.ofSeconds(10)).until(() -> client.pingAcks.get() == 1);
			client.reset();
		}
		// The server reads the resets (ECONNRESET) and closes; a peer's reset is routine, not a pipeline warning.
		try (H2cClient client = new H2cClient(port)) {
			assertThat(client.get("/after").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		Thread.sleep(200);
		assertThat(output.getAll()).doesNotContain("reached at the tail of the pipeline");
	}

}
