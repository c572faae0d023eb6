package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.apps.reactive.ReactiveTestApplication.Probe;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux response body that meets a closed stream before the handler hears that the client left: the event being
 * written is released whole. Spring's SSE writer makes each event of an object as three buffers at once (prefix, JSON,
 * end) in a {@code Flux.just}, which forgets what it holds when cancelled; the writer's failed write must not leave
 * the JSON buffer behind. A leak fails this class through the paranoid leak detection (LeakFailingExtension).
 *
 * <p>With one worker, held by another request, the cancel that the client's reset sends the handler (it continues on
 * a worker) waits; the next tick then finds the stream closed, and only the failed write ends the handler's Flux.
 * On a busy machine the same happens whenever that cancel is late by a tick.
 */
@SpringBootTest(classes = ReactiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "server.http2.enabled=true",
				"server.hybrid.workers=1", "server.hybrid.min-spare-workers=1" })
class ReactiveResponseEndedEarlyTest {

	@LocalServerPort
	int port;

	@AfterEach
	void releaseTheWorker() {
		Probe.release.countDown();
	}

	@Test
	void anEventWrittenAfterTheClientResetItsStreamIsReleased() throws Exception {
		Probe.reset();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		HttpResponse<Stream<String>> response = client.send(request("/ticks"), HttpResponse.BodyHandlers.ofLines());
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
		CompletableFuture<HttpResponse<String>> held;
		try (Stream<String> lines = response.body()) {
			Iterator<String> events = lines.filter((line) -> line.startsWith("data:")).iterator();
			assertThat(events.next()).isEqualTo("data:0");
			held = HttpClient.newHttpClient().sendAsync(request("/hold"), HttpResponse.BodyHandlers.ofString());
			assertThat(Probe.holding.await(20, TimeUnit.SECONDS)).as("the one worker is held").isTrue();
			assertThat(Probe.cancelled.getCount()).isEqualTo(1);
		}
		// Closing the body resets the stream; the handler's cancel waits for the held worker, so what ends the Flux is
		// the next tick's write failing on the closed stream.
		assertThat(Probe.cancelled.await(20, TimeUnit.SECONDS)).as("the failed write ended the handler's Flux")
			.isTrue();
		assertThat(Probe.holding.getCount()).isZero();
		Probe.release.countDown();
		assertThat(held.get(20, TimeUnit.SECONDS).body()).isEqualTo("released");
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

}
