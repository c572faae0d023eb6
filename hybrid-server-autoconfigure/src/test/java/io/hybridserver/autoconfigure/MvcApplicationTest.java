package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.boot.HybridWebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC application on the hybrid server, end to end over real HTTP: controllers, a filter, Boot's error
 * handling in JSON and HTML, and Actuator with the server's own meters.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,metrics", "spring.web.error.include-message=always" })
class MvcApplicationTest {

	@LocalServerPort
	int port;

	@Autowired
	ServletWebServerApplicationContext context;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	@Test
	void theHybridServerIsTheWebServer() {
		assertThat(this.context.getWebServer()).isInstanceOf(HybridWebServer.class);
		assertThat(this.context.getWebServer().getPort()).isEqualTo(this.port);
	}

	@Test
	void getReturnsJsonAndTheFilterRuns() throws Exception {
		HttpResponse<String> response = send(request("/hello?name=hybrid"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/json"));
		assertThat(response.body()).isEqualTo("{\"message\":\"Hello, hybrid!\"}");
		assertThat(response.headers().firstValue("X-Stamped")).hasValue("yes");
	}

	@Test
	void postEchoesJson() throws Exception {
		String json = "{\"name\":\"hybrid\",\"count\":3,\"tags\":[\"a\",\"b\"]}";
		HttpResponse<String> response = send(request("/echo").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(json);
	}

	@Test
	void largeJsonPostStreamsThroughTheBody() throws Exception {
		String value = "x".repeat(300_000);
		String json = "{\"big\":\"" + value + "\"}";
		HttpResponse<String> response = send(request("/echo").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(json);
	}

	@Test
	void unknownPathIsA404InJson() throws Exception {
		HttpResponse<String> response = send(request("/nope").header("Accept", "application/json"));
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("\"status\":404").contains("\"path\":\"/nope\"");
	}

	@Test
	void unknownPathIsA404InHtmlForBrowsers() throws Exception {
		HttpResponse<String> response = send(request("/nope").header("Accept", "text/html"));
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("Whitelabel Error Page").contains("404");
	}

	@Test
	void exceptionIsA500InJsonThroughBootsErrorHandling() throws Exception {
		HttpResponse<String> response = send(request("/boom").header("Accept", "application/json"));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("\"status\":500")
			.contains("\"path\":\"/boom\"")
			.contains("boom on purpose");
	}

	@Test
	void exceptionIsA500InHtmlForBrowsers() throws Exception {
		HttpResponse<String> response = send(request("/boom").header("Accept", "text/html"));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("Whitelabel Error Page").contains("500");
	}

	@Test
	void actuatorHealthIsUp() throws Exception {
		HttpResponse<String> response = send(request("/actuator/health"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void queueDepthMetricIsPublished() throws Exception {
		HttpResponse<String> response = send(request("/actuator/metrics/hybrid.server.queue.depth"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"name\":\"hybrid.server.queue.depth\"")
			.contains("\"tag\":\"queue\"")
			.contains("request")
			.contains("response");
	}

	@Test
	void requestAndConnectionMetricsCount() throws Exception {
		send(request("/hello"));
		HttpResponse<String> requests = send(
				request("/actuator/metrics/hybrid.server.requests?tag=outcome:SUCCESS&tag=protocol:HTTP/1.1"));
		assertThat(requests.statusCode()).isEqualTo(200);
		assertThat(requests.body()).doesNotContain("\"value\":0.0");
		HttpResponse<String> accepted = send(request("/actuator/metrics/hybrid.server.connections.accepted"));
		assertThat(accepted.body()).contains("\"statistic\":\"COUNT\"").doesNotContain("\"value\":0.0");
		HttpResponse<String> wait = send(request("/actuator/metrics/hybrid.server.queue.wait"));
		assertThat(wait.statusCode()).isEqualTo(200);
		HttpResponse<String> workers = send(request("/actuator/metrics/hybrid.server.workers.max"));
		assertThat(workers.body()).contains("\"value\":200.0");
	}

	/** Micrometer holds a gauge's and a function counter's state weakly: the meters must outlive a garbage collection. */
	@Test
	void metricsSurviveGarbageCollection() throws Exception {
		java.lang.ref.WeakReference<Object> collected = new java.lang.ref.WeakReference<>(new Object());
		for (int i = 0; i < 20 && collected.get() != null; i++) {
			System.gc();
			Thread.sleep(50);
		}
		assertThat(collected.get()).as("a garbage collection ran").isNull();
		assertThat(send(request("/actuator/metrics/hybrid.server.workers.max")).body()).contains("\"value\":200.0");
		assertThat(send(request("/actuator/metrics/hybrid.server.connections.active")).body())
			.doesNotContain("NaN");
		assertThat(send(request("/actuator/metrics/hybrid.server.connections.accepted")).body())
			.doesNotContain("NaN")
			.doesNotContain("\"value\":0.0");
		assertThat(send(request("/actuator/metrics/hybrid.server.resource.jars")).body()).doesNotContain("NaN");
		// Held by the binder, not by the registry: the session meters and the workers started so far.
		assertThat(send(request("/actuator/metrics/hybrid.server.sessions.started")).body()).doesNotContain("NaN");
		assertThat(send(request("/actuator/metrics/hybrid.server.sessions.alive.max")).body()).doesNotContain("NaN");
		assertThat(send(request("/actuator/metrics/hybrid.server.workers.current")).body()).doesNotContain("NaN")
			.doesNotContain("\"value\":0.0");
		send(request("/no-such-resource.css"));
		assertThat(send(request("/actuator/metrics/hybrid.server.resource.lookups?tag=source:index")).body())
			.doesNotContain("NaN")
			.doesNotContain("\"value\":0.0");
	}

}
