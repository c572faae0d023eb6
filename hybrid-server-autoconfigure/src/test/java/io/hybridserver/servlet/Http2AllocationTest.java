package io.hybridserver.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.H2cClient;
import io.hybridserver.testsupport.ServerThreadAllocation;
import io.hybridserver.testsupport.TestServers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server allocates per HTTP/2 GET (issue 20), as {@link ContainerAllocationTest} measures it for HTTP/1.1:
 * h2c by prior knowledge, a servlet that allocates nothing but reads one request field, so that every byte allocated
 * on the server's event loop and workers is the codec's, the header translation's, the hand-off's and the servlet
 * container's. The client runs on threads of its own, which are not counted. The requests carry a few fields a browser
 * sends, which the translation to HTTP/1.1's form has to carry over.
 *
 * <p>Netty's leak detection runs at {@code paranoid} in tests: it is paused for the measured requests only.
 */
class Http2AllocationTest {

	private static final byte[] BODY = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

	/** Beyond the pseudo-header fields (:method, :scheme, :path, :authority). */
	private static final Map<String, String> FIELDS = Map.of("accept", "application/json", "user-agent",
			"allocation-test/1.0", "accept-language", "en-GB,en;q=0.9", "cookie", "session=4f2a9c; theme=dark",
			"x-request-kind", "tiny");

	private static final int CONNECTIONS = 2;

	/** Streams open at a time on each connection (the server allows 100 by default). */
	private static final int CONCURRENT = 32;

	/** Enough for C2 to compile the request path (escape analysis removes some allocations only then). */
	private static final int WARM_UP = 30_000;

	private static final int MEASURED = 4_096;

	/**
	 * Bytes per GET on the server's threads: 6,083 on JDK 17 with each request's fields copied into Netty's hash
	 * table and the response head made by Netty's HTTP/1-to-2 conversion; 5,204 on JDK 17 and 5,261 on JDK 25 with the
	 * fields in one array and the head built from the response's fields by index (docs/benchmarks.md). About 350
	 * bytes of room: the code before fails it, and so would one object graph more per request.
	 */
	private static final long BOUND = 5_600;

	private final ServerThreadAllocation allocation = new ServerThreadAllocation();

	private HybridWebServer server;

	private ServletContainer container;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.stop();
		}
		if (this.container != null) {
			this.container.stop();
		}
	}

	@Test
	void anHttp2GetAllocatesLittleOnTheServersThreads() throws Exception {
		start();
		List<H2cClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < CONNECTIONS; i++) {
				clients.add(new H2cClient(this.server.getPort()));
			}
			exchange(clients, WARM_UP);
			long allocated;
			try (ServerThreadAllocation.Window window = this.allocation.open(this.server)) {
				// Buffers pooled while the detector was on carry its wrappers: turn them over once before measuring.
				exchange(clients, MEASURED);
				window.mark();
				exchange(clients, MEASURED);
				allocated = window.sinceMark();
			}
			long perRequest = allocated / MEASURED;
			System.out.printf("server threads allocated %d bytes per HTTP/2 GET%n", perRequest);
			assertThat(perRequest).isLessThan(BOUND);
		}
		finally {
			for (H2cClient client : clients) {
				client.close();
			}
		}
	}

	private void start() throws Exception {
		this.container = new ServletContainer(new ServletDeployment());
		this.container.start(List.of((ctx) -> ctx.addServlet("tiny", new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				Http2AllocationTest.this.allocation.ranOnWorker();
				// Read through the translated fields: a field the translation lost fails the exchange.
				if (!"tiny".equals(request.getHeader("X-Request-Kind"))) {
					response.sendError(400);
					return;
				}
				response.setContentType("application/json");
				response.getOutputStream().write(BODY);
			}

		}).addMapping("/")));
		this.server = TestServers.start(this.container, (settings) -> {
			settings.setIoThreads(1);
			settings.setWorkers(2);
			settings.setMinSpareWorkers(2);
			settings.getHttp2().setEnabled(true);
			settings.getHttp().setMaxKeepAliveRequests(0);
		});
	}

	/** Runs {@code requests} GETs, {@link #CONCURRENT} streams at a time on every connection, and checks each answer. */
	private static void exchange(List<H2cClient> clients, int requests) throws Exception {
		List<CompletableFuture<H2cClient.Response>> responses = new ArrayList<>(CONNECTIONS * CONCURRENT);
		for (int done = 0; done < requests; done += CONNECTIONS * CONCURRENT) {
			responses.clear();
			for (H2cClient client : clients) {
				for (int i = 0; i < CONCURRENT; i++) {
					responses.add(client.send("GET", "/tiny", FIELDS, null, true).response());
				}
			}
			for (CompletableFuture<H2cClient.Response> response : responses) {
				H2cClient.Response answer = response.get(30, TimeUnit.SECONDS);
				assertThat(answer.status()).isEqualTo(200);
				assertThat(answer.body()).isEqualTo(BODY);
			}
		}
	}

}
