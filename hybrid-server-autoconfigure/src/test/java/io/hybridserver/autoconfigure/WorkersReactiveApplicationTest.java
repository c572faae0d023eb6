package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The reactive application with its handlers on the dispatch tier's workers (the default). */
@TestPropertySource(properties = "server.hybrid.reactive.dispatch=workers")
class WorkersReactiveApplicationTest extends ReactiveApplicationTest {

	@Override
	String handlerThreadPrefix() {
		return "hybrid-worker-";
	}

	@Test
	void aHandlerThatBlocksByMistakeDoesNotStallTheEventLoop() throws Exception {
		ExecutorService clientThreads = Executors.newFixedThreadPool(2);
		try {
			HttpClient http = HttpClient.newBuilder().executor(clientThreads).version(HttpClient.Version.HTTP_1_1)
				.build();
			CompletableFuture<HttpResponse<String>> blocked = http.sendAsync(
					request("/blocking?millis=3000"), HttpResponse.BodyHandlers.ofString());
			Thread.sleep(300);
			long start = System.nanoTime();
			HttpResponse<String> hello = http.send(request("/hello"), HttpResponse.BodyHandlers.ofString());
			long helloMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(hello.statusCode()).isEqualTo(200);
			// Both connections may share one event loop: it kept serving while a worker was stuck.
			assertThat(blocked.isDone()).as("the blocking request is still running").isFalse();
			assertThat(helloMillis).isLessThan(2500);
			assertThat(blocked.get(10, TimeUnit.SECONDS).body()).startsWith("blocked 3000 on hybrid-worker-");
		}
		finally {
			clientThreads.shutdownNow();
		}
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.build();
	}

}
