package io.hybridserver.boot;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServerException;

import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.RequestBodyBudget;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;
import io.hybridserver.transport.TransportKind;
import io.hybridserver.transport.TransportUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine through {@link HybridWebServer}: lifecycle, overload, streaming without buffering, graceful shutdown.
 */
class HybridWebServerTest {

	private static final long HUNDRED_MB = 100L * 1024 * 1024;

	private final List<HybridWebServer> servers = new ArrayList<>();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@AfterEach
	void stopAll() {
		this.servers.forEach(HybridWebServer::stop);
	}

	private HybridWebServer track(HybridWebServer server) {
		this.servers.add(server);
		return server;
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void restartsAfterStopAndStartIsIdempotent() throws Exception {
		HybridWebServer server = track(TestServers.start(TestServers::echo, (s) -> {
		}));
		server.start();
		int port = server.getPort();
		assertThat(get(port, "/a").body()).isEqualTo("GET /a ");
		server.stop();
		server.stop();
		assertThat(server.getPort()).isEqualTo(-1);
		server.start();
		assertThat(get(server.getPort(), "/b").body()).isEqualTo("GET /b ");
	}

	@Test
	void busyPortIsReportedAsPortInUse() throws Exception {
		HybridWebServer first = track(TestServers.start(TestServers::echo, (s) -> {
		}));
		HybridServerSettings settings = new HybridServerSettings();
		settings.setIoThreads(1);
		settings.setWorkers(1);
		HybridWebServer second = new HybridWebServer(settings, InetAddress.getLoopbackAddress(), first.getPort(),
				TestServers::echo, () -> {
				}, Shutdown.IMMEDIATE, "second");
		assertThatExceptionOfType(PortInUseException.class).isThrownBy(second::start)
			.satisfies((ex) -> assertThat(ex.getPort()).isEqualTo(first.getPort()));
	}

	@Test
	void nioTransportWorksWhenNamed() throws Exception {
		HybridWebServer server = track(TestServers.start(TestServers::echo,
				(s) -> s.setTransport(TransportKind.NIO)));
		assertThat(get(server.getPort(), "/nio").body()).isEqualTo("GET /nio ");
	}

	@Test
	void ioUringWorksWhenTheKernelAllowsIt() throws Exception {
		HybridWebServer server;
		try {
			server = track(TestServers.start(TestServers::echo, (s) -> s.setTransport(TransportKind.IO_URING)));
		}
		catch (WebServerException ex) {
			// Some sandboxes forbid io_uring: the failure must then name the native cause.
			assertThat(ex).hasRootCauseInstanceOf(Throwable.class);
			assertThat(ex.getCause()).isInstanceOf(TransportUnavailableException.class);
			return;
		}
		assertThat(get(server.getPort(), "/uring").body()).isEqualTo("GET /uring ");
	}

	@Test
	void unavailableTransportFailsWithItsNativeCause() {
		// kqueue exists only on macOS and the BSDs; this suite runs on Linux.
		assertThatThrownBy(() -> TestServers.start(TestServers::echo, (s) -> s.setTransport(TransportKind.KQUEUE)))
			.isInstanceOf(WebServerException.class)
			.hasCauseInstanceOf(TransportUnavailableException.class)
			.hasMessageContaining("kqueue");
	}

	@Test
	void overloadAnswers503WithRetryAfterAndLosesNothing() throws Exception {
		HybridWebServer server = track(TestServers.start((exchange) -> {
			Thread.sleep(400);
			TestServers.respond(exchange, 200, "done");
		}, (s) -> {
			s.setWorkers(1);
			s.setRequestQueueCapacity(2);
			// Refused at once, not after a wait (RequestQueueTimeoutTest covers the wait).
			s.getHttp().setRequestQueueTimeout(Duration.ZERO);
		}));
		int clients = 12;
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			calls.add(this.client.sendAsync(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/work"))
						.timeout(Duration.ofSeconds(30))
						.build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		int ok = 0;
		int unavailable = 0;
		for (CompletableFuture<HttpResponse<String>> call : calls) {
			HttpResponse<String> response = call.get(40, TimeUnit.SECONDS);
			if (response.statusCode() == 200) {
				assertThat(response.body()).isEqualTo("done");
				ok++;
			}
			else {
				assertThat(response.statusCode()).isEqualTo(503);
				assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
				assertThat(response.body()).isEqualTo("The server is overloaded; retry later\n");
				unavailable++;
			}
		}
		assertThat(ok + unavailable).isEqualTo(clients);
		assertThat(ok).isGreaterThanOrEqualTo(3);
		assertThat(unavailable).isGreaterThan(0);
		assertThat(server.getStats().rejections(io.hybridserver.http.HttpServerStats.Rejection.QUEUE_FULL))
			.isEqualTo(unavailable);
		// Counted once each, as HTTP/1.1 server errors.
		assertThat(server.getStats().requests(io.hybridserver.http.HttpServerStats.http1(false), 5))
			.isEqualTo(unavailable);
	}

	@Test
	void maxConnectionsHoldsFurtherClientsBackUntilOneCloses() throws Exception {
		HybridWebServer server = track(TestServers.start(TestServers::echo, (s) -> s.setMaxConnections(1)));
		RawHttpConnection first = new RawHttpConnection(server.getPort());
		first.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(first.readResponse().bodyText()).isEqualTo("GET /first ");
		try (RawHttpConnection second = new RawHttpConnection(server.getPort(), 700)) {
			// The kernel completes the handshake, but the server does not accept while at its bound.
			second.send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThatExceptionOfType(java.net.SocketTimeoutException.class).isThrownBy(second::readResponse);
			assertThat(server.getActiveConnections()).isEqualTo(1);
			first.close();
			second.socket().setSoTimeout(10_000);
			assertThat(second.readResponse().bodyText()).isEqualTo("GET /second ");
		}
	}

	@Test
	void hundredMegabyteUploadStreamsThroughASlowConsumerWithoutBuffering() throws Exception {
		AtomicLong maxBuffered = new AtomicLong();
		AtomicLong received = new AtomicLong();
		AtomicReference<HttpServerConfig> http = new AtomicReference<>();
		HybridWebServer server = track(TestServers.start((exchange) -> {
			byte[] buffer = new byte[16 * 1024];
			long total = 0;
			int n;
			long chunks = 0;
			while ((n = exchange.requestBody().read(buffer, 0, buffer.length)) != -1) {
				total += n;
				maxBuffered.accumulateAndGet(exchange.requestBody().available(), Math::max);
				if (++chunks % 256 == 0) {
					// A deliberately slow consumer: the client must be held back, not buffered.
					Thread.sleep(5);
				}
			}
			received.set(total);
			TestServers.respond(exchange, 200, Long.toString(total));
		}, (s) -> http.set(s.getHttp())));
		try (RawHttpConnection connection = new RawHttpConnection(server.getPort(), 60_000)) {
			connection.send("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + HUNDRED_MB + "\r\n\r\n");
			OutputStream out = connection.output();
			byte[] block = new byte[64 * 1024];
			long peakDirect = 0;
			for (long sent = 0; sent < HUNDRED_MB; sent += block.length) {
				out.write(block);
				peakDirect = Math.max(peakDirect, usedDirectMemory());
			}
			out.flush();
			Response response = connection.readResponse();
			assertThat(response.bodyText()).isEqualTo(Long.toString(HUNDRED_MB));
			assertThat(received.get()).isEqualTo(HUNDRED_MB);
			// The body's buffer mark is 64 KiB, grown to 1 MiB from the server's budget once the body fills it; one
			// socket read (64 KiB at most) may overshoot it once.
			assertThat(maxBuffered.get()).isGreaterThan(64 * 1024).isLessThanOrEqualTo((1024 + 64) * 1024);
			assertThat(peakDirect).isLessThan(32L * 1024 * 1024);
			// The growth went back to the budget when the body had been read.
			RequestBodyBudget budget = http.get().requestBodyBudget();
			assertThat(budget.available()).isEqualTo(budget.total());
		}
	}

	@Test
	void hundredMegabyteDownloadToASlowClientHoldsTheWorkerBack() throws Exception {
		AtomicLong written = new AtomicLong();
		HybridWebServer server = track(TestServers.start((exchange) -> {
			exchange.commit(200, HUNDRED_MB);
			byte[] block = new byte[8 * 1024];
			for (long sent = 0; sent < HUNDRED_MB; sent += block.length) {
				exchange.write(block, 0, block.length);
				written.addAndGet(block.length);
			}
			exchange.complete();
		}, (s) -> {
		}));
		try (Socket socket = new Socket("127.0.0.1", server.getPort())) {
			socket.setReceiveBufferSize(64 * 1024);
			socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
			InputStream in = socket.getInputStream();
			// Read nothing for a while: the worker must stop after the high-water mark plus socket buffers.
			Thread.sleep(1_000);
			long writtenWhileStalled = written.get();
			long directWhileStalled = usedDirectMemory();
			assertThat(writtenWhileStalled).isLessThan(16L * 1024 * 1024);
			assertThat(directWhileStalled).isLessThan(32L * 1024 * 1024);
			byte[] buffer = new byte[64 * 1024];
			long total = 0;
			int n;
			long reads = 0;
			while ((n = in.read(buffer)) != -1) {
				total += n;
				if (++reads % 512 == 0) {
					Thread.sleep(2);
				}
				if (total >= HUNDRED_MB + 40) {
					// head (~40 bytes) plus the body: everything arrived
					break;
				}
			}
			assertThat(total).isGreaterThan(HUNDRED_MB);
		}
	}

	@Test
	void gracefulShutdownLetsTheInFlightRequestFinishAndRefusesNewConnections() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		HybridWebServer server = track(TestServers.start((exchange) -> {
			entered.countDown();
			release.await(20, TimeUnit.SECONDS);
			TestServers.respond(exchange, 200, "finished");
		}, (s) -> {
		}, Shutdown.GRACEFUL));
		int port = server.getPort();
		CompletableFuture<HttpResponse<String>> inFlight = this.client.sendAsync(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/long")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		AtomicReference<GracefulShutdownResult> result = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(1);
		server.shutDownGracefully((r) -> {
			result.set(r);
			done.countDown();
		});
		awaitRefused(port);
		assertThat(done.getCount()).isEqualTo(1);
		release.countDown();
		assertThat(inFlight.get(10, TimeUnit.SECONDS).body()).isEqualTo("finished");
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(result.get()).isEqualTo(GracefulShutdownResult.IDLE);
	}

	@Test
	void gracefulShutdownCutShortReportsActiveRequests() throws Exception {
		CountDownLatch entered = new CountDownLatch(1);
		HybridWebServer server = track(TestServers.start((exchange) -> {
			entered.countDown();
			Thread.sleep(30_000);
		}, (s) -> {
		}, Shutdown.GRACEFUL));
		this.client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
		AtomicReference<GracefulShutdownResult> result = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(1);
		server.shutDownGracefully((r) -> {
			result.set(r);
			done.countDown();
		});
		Thread.sleep(200);
		server.stop();
		assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(result.get()).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
	}

	@Test
	void immediateShutdownReportsImmediate() {
		HybridWebServer server = track(TestServers.start(TestServers::echo, (s) -> {
		}));
		AtomicReference<GracefulShutdownResult> result = new AtomicReference<>();
		server.shutDownGracefully(result::set);
		assertThat(result.get()).isEqualTo(GracefulShutdownResult.IMMEDIATE);
	}

	@Test
	void invalidSettingsFailWithThePropertyName() {
		HybridServerSettings settings = new HybridServerSettings();
		settings.setRequestQueueCapacity(0);
		assertThatThrownBy(() -> new HybridWebServer(settings, null, 0, TestServers::echo, () -> {
		}, Shutdown.IMMEDIATE, "x")).isInstanceOf(InvalidServerSettingsException.class)
			.hasMessageContaining("server.hybrid.request-queue-capacity");
	}

	private static void awaitRefused(int port) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				Thread.sleep(20);
			}
			catch (ConnectException ex) {
				return;
			}
			catch (SocketException ex) {
				// The connect raced the listener's close: the kernel had queued the
				// connection in the backlog and reset it when the listener closed.
				// Either way the new connection is not served, which is what we check.
				return;
			}
		}
		throw new AssertionError("The server still accepts connections during graceful shutdown");
	}

	private static long usedDirectMemory() {
		return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
	}

}
