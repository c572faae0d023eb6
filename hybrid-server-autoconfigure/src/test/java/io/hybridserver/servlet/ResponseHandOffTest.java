package io.hybridserver.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ResponseQueues;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a servlet response reaches its event loop (issue 22, the JSON page): a response that fits the container's buffer
 * goes as one task, head, body and end together, so the worker wakes the loop once per response, not twice. And what
 * must not change with it: bytes the application closes or flushes itself leave at once, while its servlet still runs.
 * Counted on the response queues, which does not depend on timing.
 */
class ResponseHandOffTest {

	private static final byte[] BODY = "{\"vets\":[\"James Carter\",\"Helen Leary\"]}".getBytes(StandardCharsets.US_ASCII);

	private static final int REQUESTS = 64;

	/** Released by the test once it has read what the servlet sent before waiting on it. */
	private final CountDownLatch release = new CountDownLatch(1);

	private HybridWebServer server;

	private ServletContainer container;

	@AfterEach
	void stop() {
		this.release.countDown();
		if (this.server != null) {
			this.server.stop();
		}
		if (this.container != null) {
			this.container.stop();
		}
	}

	@Test
	void aBufferedResponseReachesTheLoopAsOneTask() throws Exception {
		start();
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 10_000)) {
			get(connection, "/json");
			ResponseQueues queues = this.server.getResponseQueues();
			long tasksBefore = queues.tasksRun();
			long drainsBefore = queues.drains();
			for (int i = 0; i < REQUESTS; i++) {
				Response response = get(connection, "/json");
				assertThat(response.header("content-length")).isEqualTo(Integer.toString(BODY.length));
				assertThat(response.body()).isEqualTo(BODY);
			}
			// One request at a time: each response is the loop's only work when it arrives. Two tasks per response (the
			// body, then the end) was the count before, and on a CPU shared with the loop each can cost a switch.
			assertThat(queues.tasksRun() - tasksBefore).isEqualTo(REQUESTS);
			assertThat(queues.drains() - drainsBefore).isEqualTo(REQUESTS);
		}
	}

	@Test
	void aResponseTheServletClosesLeavesWhileTheServletStillRuns() throws Exception {
		start();
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 10_000)) {
			// The servlet waits after close() until the test has the whole response: held for the end, it never would.
			Response response = get(connection, "/close-then-wait");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(BODY);
			this.release.countDown();
			assertThat(get(connection, "/json").body()).isEqualTo(BODY);
		}
	}

	@Test
	void whatTheServletFlushesLeavesWhileTheServletStillRuns() throws Exception {
		start();
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 10_000)) {
			connection.send("GET /flush-then-wait HTTP/1.1\r\nHost: localhost\r\n\r\n");
			Response head = connection.readHead();
			assertThat(head.header("transfer-encoding")).isEqualTo("chunked");
			String chunk = Integer.toHexString(BODY.length) + "\r\n" + new String(BODY, StandardCharsets.US_ASCII)
					+ "\r\n";
			assertThat(new String(connection.input().readNBytes(chunk.length()), StandardCharsets.US_ASCII))
				.isEqualTo(chunk);
			this.release.countDown();
			assertThat(new String(connection.input().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
			assertThat(get(connection, "/json").body()).isEqualTo(BODY);
		}
	}

	@Test
	void aBodyShorterThanItsContentLengthStillEndsTheConnectionAfterTheBytesWritten() throws Exception {
		// The end finds the body short: the bytes written go out first, then the connection is closed (nothing honest
		// can follow), and nothing leaks (paranoid detection).
		start();
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 10_000)) {
			connection.send("GET /short HTTP/1.1\r\nHost: localhost\r\n\r\n");
			Response head = connection.readHead();
			assertThat(head.header("content-length")).isEqualTo(Integer.toString(BODY.length + 10));
			assertThat(connection.input().readNBytes(BODY.length + 10)).isEqualTo(BODY);
			assertThat(connection.isClosedByServer()).isTrue();
		}
	}

	@Test
	void aLargeStreamedResponseArrivesWholeInOneTaskPerPiece() throws Exception {
		start();
		try (RawHttpConnection connection = new RawHttpConnection(this.server.getPort(), 10_000)) {
			get(connection, "/large");
			ResponseQueues queues = this.server.getResponseQueues();
			long tasksBefore = queues.tasksRun();
			Response response = get(connection, "/large");
			assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
			assertThat(response.body()).isEqualTo(large());
			// Written in 1 KiB pieces: two full 8 KiB buffers spill on their own, then the rest and the end. Only the part
			// that completes a body of declared length waits for the end; a chunked body's last piece does not.
			assertThat(queues.tasksRun() - tasksBefore).isEqualTo(4);
		}
	}

	private static Response get(RawHttpConnection connection, String path) throws IOException {
		connection.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
		return connection.readResponse();
	}

	private static byte[] large() {
		byte[] body = new byte[20 * 1024];
		for (int i = 0; i < body.length; i++) {
			body[i] = (byte) ('a' + i % 26);
		}
		return body;
	}

	private void start() throws Exception {
		this.container = new ServletContainer(new ServletDeployment());
		this.container.start(List.of((ctx) -> ctx.addServlet("handoff", new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				response.setContentType("application/json");
				ServletOutputStream out = response.getOutputStream();
				switch (request.getRequestURI()) {
					case "/close-then-wait" -> {
						out.write(BODY);
						out.close();
						awaitRelease();
					}
					case "/flush-then-wait" -> {
						out.write(BODY);
						out.flush();
						awaitRelease();
					}
					case "/short" -> {
						response.setContentLength(BODY.length + 10);
						out.write(BODY);
					}
					case "/large" -> {
						byte[] body = large();
						for (int i = 0; i < body.length; i += 1024) {
							out.write(body, i, 1024);
						}
					}
					default -> out.write(BODY);
				}
			}

		}).addMapping("/")));
		this.server = TestServers.start(this.container, (settings) -> {
			settings.setIoThreads(1);
			settings.setWorkers(2);
			settings.setMinSpareWorkers(2);
		});
	}

	private void awaitRelease() {
		try {
			if (!this.release.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The test never read what was sent before the wait");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
