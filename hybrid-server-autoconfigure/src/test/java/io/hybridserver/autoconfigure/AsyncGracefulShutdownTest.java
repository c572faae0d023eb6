package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.async.AsyncTestApplication;
import io.hybridserver.apps.async.AsyncTestApplication.Gates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An asynchronous request whose worker has long returned is still in flight: graceful shutdown waits for its
 * DeferredResult to be set and its response to be sent.
 */
class AsyncGracefulShutdownTest {

	@Test
	void gracefulShutdownWaitsForAPendingDeferredResult() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(AsyncTestApplication.class)
			.properties("server.port=0", "server.shutdown=graceful")
			.run();
		Gates gates = context.getBean(Gates.class);
		String port = context.getEnvironment().getProperty("local.server.port");
		HttpClient client = HttpClient.newHttpClient();
		CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deferred?key=shutdown")).build(),
				HttpResponse.BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(20)).until(() -> gates.hasDeferred("shutdown"));
		Thread closer = new Thread(context::close, "closer");
		closer.start();
		// The worker returned long ago; only the exchange still open keeps the server busy.
		closer.join(1_000);
		assertThat(closer.isAlive()).as("close() must wait for the asynchronous request").isTrue();
		assertThat(inFlight).isNotDone();
		gates.resolve("shutdown", "answered during shutdown");
		HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("answered during shutdown");
		closer.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(closer.isAlive()).isFalse();
	}

}
