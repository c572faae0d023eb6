package io.hybridserver.servlet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.RawHttpConnection;
import io.hybridserver.testsupport.RawHttpConnection.Response;
import io.hybridserver.testsupport.TestServers;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow request bodies and the servlet container, over a real socket with one worker (issue 18, items 4 and 5). A
 * servlet that answers without reading a body still arriving (a security filter's 401, an early 413): the answer must
 * reach the client at once with {@code Connection: close}, and the worker must be free for the next client, whatever
 * the uploader does next; the container used to read the rest of the body before sending the answer, holding it and
 * the worker as long as the client kept trickling. A servlet reading a body that falls below the minimum rate: its
 * read fails, and the container answers 408.
 */
class SlowBodyOverSocketTest {

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

	private int start() throws Exception {
		this.container = new ServletContainer(new ServletDeployment());
		this.container.start(List.of((ctx) -> ctx.addServlet("deny", new HttpServlet() {

			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
				if (request.getRequestURI().equals("/read")) {
					// Reads to the end; a failed read escapes to the container.
					request.getInputStream().readAllBytes();
					response.getWriter().print("read all");
					return;
				}
				if (request.getRequestURI().equals("/deny")) {
					response.setStatus(401);
					response.setContentType("text/plain");
					response.getWriter().print("denied");
					return;
				}
				response.getWriter().print("served " + request.getRequestURI());
			}

		}).addMapping("/")));
		// One worker: if the denied upload held it, nobody else would be served. A long connection timeout, so that
		// the server's per-read timeout cannot end the upload early by itself within the test's bounds.
		this.server = TestServers.start(this.container, (settings) -> {
			settings.setWorkers(1);
			settings.getHttp().setConnectionTimeout(java.time.Duration.ofSeconds(60));
			// A minimum that a 70 KiB burst keeps a body above for about 3.5 s; the trickle after it falls below.
			settings.getHttp().setMinRequestBodyRate(20_000).setMinRequestBodyRateGrace(java.time.Duration.ofSeconds(1));
		});
		return this.server.getPort();
	}

	@Test
	void answerWithoutReadingASlowUploadArrivesAtOnceAndFreesTheWorker() throws Exception {
		int port = start();
		AtomicBoolean stopUploading = new AtomicBoolean();
		try (RawHttpConnection upload = new RawHttpConnection(port, 15_000)) {
			// More than the body gate's 64 KiB at once, so that the request reaches the servlet while the body arrives.
			upload.send("POST /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
			upload.send(new byte[70 * 1024]);
			// The client goes on trickling a byte every 20 ms for far longer than the test waits for the answer.
			Thread trickle = new Thread(() -> trickle(upload.output(), stopUploading));
			trickle.setDaemon(true);
			trickle.start();
			try {
				Response denied = upload.readResponse();
				assertThat(denied.status()).isEqualTo(401);
				assertThat(denied.bodyText()).isEqualTo("denied");
				assertThat(denied.header("connection")).isEqualTo("close");
				// The worker is free while the upload still trickles in: a second client is served.
				try (RawHttpConnection other = new RawHttpConnection(port, 15_000)) {
					other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n");
					assertThat(other.readResponse().bodyText()).isEqualTo("served /other");
				}
			}
			finally {
				stopUploading.set(true);
				trickle.join(10_000);
			}
		}
	}

	@Test
	void aBodyThatHasFullyArrivedKeepsTheConnection() throws Exception {
		int port = start();
		try (RawHttpConnection connection = new RawHttpConnection(port, 15_000)) {
			connection.send("POST /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
			Response denied = connection.readResponse();
			assertThat(denied.status()).isEqualTo(401);
			assertThat(denied.header("connection")).isNull();
			connection.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(connection.readResponse().bodyText()).isEqualTo("served /next");
		}
	}

	@Test
	void aServletReadingABodyBelowTheMinimumRateGets408() throws Exception {
		int port = start();
		AtomicBoolean stopUploading = new AtomicBoolean();
		try (RawHttpConnection upload = new RawHttpConnection(port, 15_000)) {
			upload.send("POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
			upload.send(new byte[70 * 1024]);
			Thread trickle = new Thread(() -> trickle(upload.output(), stopUploading));
			trickle.setDaemon(true);
			trickle.start();
			try {
				Response response = upload.readResponse();
				assertThat(response.status()).isEqualTo(408);
				assertThat(response.header("connection")).isEqualTo("close");
			}
			finally {
				stopUploading.set(true);
				trickle.join(10_000);
			}
		}
		assertThat(this.server.getStats().rejections(io.hybridserver.http.HttpServerStats.Rejection.SLOW_BODY))
			.isEqualTo(1);
	}

	private static void trickle(OutputStream out, AtomicBoolean stop) {
		byte[] one = "x".getBytes(StandardCharsets.US_ASCII);
		try {
			while (!stop.get()) {
				out.write(one);
				out.flush();
				Thread.sleep(20);
			}
		}
		catch (IOException | InterruptedException ex) {
			// The server closed after lingering: the upload ends here.
		}
	}

}
