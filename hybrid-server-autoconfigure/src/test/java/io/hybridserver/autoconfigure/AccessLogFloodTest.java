package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of requests while the access log's writer is stuck (its logging appender blocks, as a full disk or a slow
 * log shipper would): every request is still answered at once, the queue keeps exactly its capacity, and every other
 * line is counted by {@code hybrid.server.accesslog.lines.dropped{reason=queue-full}}, to the line.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.hybrid.accesslog.enabled=true", "server.hybrid.accesslog.output=log",
				"server.hybrid.accesslog.log-category=test.accesslog.flood", "server.hybrid.accesslog.pattern=%U %q",
				"server.hybrid.accesslog.queue-capacity=16" })
class AccessLogFloodTest {

	private static final int REQUESTS = 300;

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	private final StuckAppender appender = new StuckAppender();

	private Logger logger() {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("test.accesslog.flood");
	}

	@AfterEach
	void detach() {
		this.appender.release.countDown();
		logger().detachAppender(this.appender);
	}

	private double dropped() {
		return this.meters.get("hybrid.server.accesslog.lines.dropped").tag("reason", "queue-full").functionCounter()
			.count();
	}

	@Test
	void aFloodWhileTheWriterIsStuckIsAnsweredAndEveryDroppedLineCounted() throws Exception {
		this.appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
		this.appender.start();
		logger().addAppender(this.appender);
		double droppedBefore = dropped();
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		for (int i = 0; i < REQUESTS; i++) {
			HttpResponse<String> response = client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/hello?n=" + i))
						.timeout(Duration.ofSeconds(10))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
		}
		assertThat(this.appender.entered.await(10, TimeUnit.SECONDS)).isTrue();
		// The writer holds one line in the appender and the queue sixteen: the rest were dropped, each counted. A line
		// is offered just after its response is written, so the count is awaited (bounded), then must stay exact.
		double expected = REQUESTS - 1 - 16;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (dropped() - droppedBefore < expected && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(dropped() - droppedBefore).isEqualTo(expected);
		assertThat(this.meters.get("hybrid.server.queue.depth").tag("queue", "accesslog").gauge().value())
			.isEqualTo(16);
		this.appender.release.countDown();
		deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.appender.lines.size() < 17 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(this.appender.lines).hasSize(17).first().isEqualTo("/hello ?n=0");
		assertThat(this.appender.lines.size() + dropped() - droppedBefore).isEqualTo(REQUESTS);
	}

	/** Blocks the writer thread on the first line until released, then keeps every line. */
	static final class StuckAppender extends AppenderBase<ILoggingEvent> {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final List<String> lines = new CopyOnWriteArrayList<>();

		@Override
		protected void append(ILoggingEvent event) {
			this.entered.countDown();
			try {
				this.release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.lines.add(event.getFormattedMessage());
		}

	}

}
