package io.hybridserver.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.testsupport.AccessLogFiles;
import io.hybridserver.testsupport.Http3TestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full request queue over HTTP/3, as over HTTP/1.1 and HTTP/2: the refused request's stream alone is answered
 * {@code 503} with {@code Retry-After} and a plain-text reason, counted as {@code queue-full} and as an {@code h3}
 * server error, and logged with its request line as HTTP/1.1 and HTTP/2 refusals are; the request in progress and the
 * one queued are answered, and the connection goes on.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.key-alias=server", "server.hybrid.http3.enabled=true", "server.hybrid.workers=1",
				"server.hybrid.request-queue-capacity=1", "server.hybrid.retry-after=3s",
				"server.hybrid.request-queue-timeout=0", "server.hybrid.accesslog.enabled=true",
				"server.hybrid.accesslog.pattern=\"%r\" %s %b %X" })
class Http3OverloadTest {

	@TempDir
	static Path logs;

	@DynamicPropertySource
	static void logDirectory(DynamicPropertyRegistry registry) {
		registry.add("server.hybrid.accesslog.directory", () -> logs.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	@Autowired
	MeterRegistry registry;

	@Test
	void aFullRequestQueueAnswers503OnThatStreamOnly() throws Exception {
		HybridWebServer server = (HybridWebServer) this.context.getWebServer();
		double refusedBefore = counter("hybrid.server.requests.rejected", "reason", "queue-full");
		ProtocolTestApplication.firstPartSeen = new CountDownLatch(1);
		try (Http3TestClient client = Http3TestClient.connect(this.port)) {
			// The one worker is held by /stream until the test has seen its first part.
			Http3TestClient.Response busy = client.start("GET", "/stream", Map.of(), null);
			assertThat(busy.nextPart(20, TimeUnit.SECONDS)).isEqualTo("first;");
			CompletableFuture<Http3TestClient.Response> queued = client.send("GET", "/hello?name=queued", Map.of(),
					null);
			await().atMost(Duration.ofSeconds(10)).until(() -> server.getDispatcher().queueDepth() == 1);
			Http3TestClient.Response refused = client.get("/hello?name=refused");
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.field("retry-after")).isEqualTo("3");
			assertThat(refused.field("content-type")).isEqualTo("text/plain;charset=UTF-8");
			assertThat(refused.text()).isEqualTo("The server is overloaded; retry later");
			assertThat(refused.field("content-length")).isEqualTo(String.valueOf(refused.bytes().length));
			assertThat(busy.done()).isNotDone();
			ProtocolTestApplication.firstPartSeen.countDown();
			assertThat(busy.done().get(10, TimeUnit.SECONDS).text()).isEqualTo("first;second:true");
			assertThat(queued.get(10, TimeUnit.SECONDS).text()).isEqualTo("{\"message\":\"Hello, queued!\"}");
			assertThat(client.get("/hello?name=after").status()).isEqualTo(200);
		}
		assertThat(counter("hybrid.server.requests.rejected", "reason", "queue-full")).isEqualTo(refusedBefore + 1);
		assertThat(counter("hybrid.server.requests", "protocol", "h3", "outcome", "SERVER_ERROR")).isEqualTo(1);
		String refusal = "The server is overloaded; retry later";
		assertThat(AccessLogFiles.awaitLine(logs, (line) -> line.contains("/hello?name=refused")))
			.isEqualTo("\"GET /hello?name=refused HTTP/3\" 503 " + refusal.length() + " +");
		assertThat(AccessLogFiles.awaitLine(logs, (line) -> line.contains("/hello?name=queued")))
			.startsWith("\"GET /hello?name=queued HTTP/3\" 200 ");
	}

	private double counter(String name, String... tags) {
		return this.registry.find(name).tags(tags).functionCounter().count();
	}

}
