package io.hybridserver.autoconfigure;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code server.shutdown=graceful} through Spring Boot's lifecycle: closing the context lets the in-flight request
 * finish, then the port is released.
 */
class GracefulShutdownTest {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void closingTheContextWaitsForTheInFlightRequest() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "server.shutdown=graceful")
			.run();
		String port = context.getEnvironment().getProperty("local.server.port");
		CompletableFuture<HttpResponse<String>> inFlight = this.client.sendAsync(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
				HttpResponse.BodyHandlers.ofString());
		Thread.sleep(300);
		long start = System.nanoTime();
		context.close();
		long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("slow done");
		assertThat(closeMillis).isGreaterThanOrEqualTo(300);
		assertThatThrownBy(() -> this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
				HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(ConnectException.class);
	}

}
