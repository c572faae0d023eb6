package io.hybridserver.autoconfigure;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.json.JsonContent;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.health.HealthTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code hybridServer} health contributor in real Actuator applications: {@code UP} with its details over HTTP,
 * {@code OUT_OF_SERVICE} through Boot's health endpoint while a graceful shutdown waits for a request in flight (the
 * port no longer accepts then, so the endpoint bean is read as a probe inside the process would), saturation as
 * details, and the usual switch to turn it off.
 */
class HybridServerHealthTest {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	@BeforeEach
	void holdRequests() {
		HealthTestApplication.reset();
	}

	@AfterEach
	void releaseRequests() {
		HealthTestApplication.release();
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(HealthTestApplication.class)
			.properties("server.port=0", "management.endpoint.health.show-details=always")
			.properties(properties)
			.run();
	}

	private static String port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getProperty("local.server.port");
	}

	private HttpResponse<String> get(String port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> hold(String port) {
		return this.client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hold"))
			.timeout(Duration.ofSeconds(40))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static IndicatedHealthDescriptor health(ConfigurableApplicationContext context) {
		return (IndicatedHealthDescriptor) context.getBean(HealthEndpoint.class).healthForPath("hybridServer");
	}

	@Test
	void upWithQueueAndConnectionDetailsOverHttp() throws Exception {
		try (var context = start("server.hybrid.request-queue-capacity=99", "server.hybrid.max-connections=50")) {
			HttpResponse<String> response = get(port(context), "/actuator/health/hybridServer");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonContent<Object> body = this.json.from(response.body());
			assertThat(body).extractingJsonPathStringValue("$.status").isEqualTo("UP");
			assertThat(body).extractingJsonPathStringValue("$.details.state").isEqualTo("running");
			assertThat(body).extractingJsonPathNumberValue("$.details.requestQueue.depth").isEqualTo(0);
			assertThat(body).extractingJsonPathNumberValue("$.details.requestQueue.capacity").isEqualTo(99);
			assertThat(body).extractingJsonPathNumberValue("$.details.connections.active").isEqualTo(1);
			assertThat(body).extractingJsonPathNumberValue("$.details.connections.max").isEqualTo(50);
			assertThat(body).extractingJsonPathBooleanValue("$.details.requestQueueFull").isFalse();
			assertThat(body).extractingJsonPathBooleanValue("$.details.connectionLimitReached").isFalse();
			assertThat(this.json.from(get(port(context), "/actuator/health").body()))
				.extractingJsonPathStringValue("$.components.hybridServer.status")
				.isEqualTo("UP");
		}
	}

	@Test
	void outOfServiceWhileAGracefulShutdownWaitsForARequestInFlight() throws Exception {
		ConfigurableApplicationContext context = start("server.shutdown=graceful");
		CompletableFuture<Void> closed = null;
		try {
			CompletableFuture<HttpResponse<String>> inFlight = hold(port(context));
			assertThat(HealthTestApplication.ENTERED.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			closed = CompletableFuture.runAsync(context::close);
			// The request is held until released below, so the server cannot finish draining before we look.
			await().atMost(20, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(health(context).getStatus()).isEqualTo(Status.OUT_OF_SERVICE));
			assertThat(health(context).getDetails()).containsEntry("state", "draining");
			assertThat(closed).isNotDone();
			HealthTestApplication.release();
			HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo("released");
			closed.get(30, TimeUnit.SECONDS);
		}
		finally {
			HealthTestApplication.release();
			if (closed == null) {
				context.close();
			}
		}
	}

	@Test
	void aFullRequestQueueIsADetailNotADownStatus() throws Exception {
		try (var context = start("server.hybrid.workers=1", "server.hybrid.request-queue-capacity=1")) {
			String port = port(context);
			CompletableFuture<HttpResponse<String>> running = hold(port);
			assertThat(HealthTestApplication.ENTERED.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
			// The only worker is held: the second request waits in the queue, which it fills.
			CompletableFuture<HttpResponse<String>> queued = hold(port);
			await().atMost(20, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(health(context).getDetails()).containsEntry("requestQueueFull", true));
			IndicatedHealthDescriptor health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("requestQueue", Map.of("depth", 1, "capacity", 1));
			HealthTestApplication.release();
			assertThat(running.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(queued.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			await().atMost(20, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(health(context).getDetails()).containsEntry("requestQueueFull", false));
		}
	}

	@Test
	void theConnectionLimitReachedIsADetail() throws Exception {
		try (var context = start("server.hybrid.max-connections=1");
				Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(port(context))), 5000);
			await().atMost(20, TimeUnit.SECONDS)
				.untilAsserted(
						() -> assertThat(health(context).getDetails()).containsEntry("connectionLimitReached", true));
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			assertThat(health(context).getDetails()).containsEntry("connections", Map.of("active", 1, "max", 1));
		}
	}

	@Test
	void turnedOffLikeBootsOwnContributors() throws Exception {
		try (var context = start("management.health.hybridserver.enabled=false")) {
			assertThat(context.getBeanNamesForType(HybridServerHealthIndicator.class)).isEmpty();
			assertThat(get(port(context), "/actuator/health/hybridServer").statusCode()).isEqualTo(404);
		}
	}

}
