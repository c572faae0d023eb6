package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.json.JsonContent;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/hybridserver} in real Actuator applications: what it shows, that it follows the usual exposure
 * rules, and that on a separate management port it describes the application's server.
 */
class HybridServerEndpointTest {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	private HttpResponse<String> get(String port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void showsTheListenerTransportWorkersQueuesAndLimitsInEffect() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=hybridserver",
					"server.hybrid.workers=7", "server.hybrid.request-queue-capacity=99", "server.hybrid.io-threads=2",
					"server.hybrid.keep-alive-timeout=65s", "server.hybrid.accesslog.enabled=true",
					"server.hybrid.accesslog.output=log")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = get(port, "/actuator/hybridserver");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonContent<Object> body = this.json.from(response.body());
			assertThat(body).extractingJsonPathBooleanValue("$.running").isTrue();
			assertThat(body).extractingJsonPathNumberValue("$.listener.port").isEqualTo(Integer.parseInt(port));
			assertThat(body).extractingJsonPathStringValue("$.listener.scheme").isEqualTo("http");
			assertThat(body).extractingJsonPathStringValue("$.transport.running").isNotBlank();
			assertThat(body).extractingJsonPathNumberValue("$.transport.ioThreads").isEqualTo(2);
			assertThat(body).extractingJsonPathStringValue("$.workers.kind").isEqualTo("platform-threads");
			assertThat(body).extractingJsonPathNumberValue("$.workers.max").isEqualTo(7);
			assertThat(body).extractingJsonPathNumberValue("$.queues.request.capacity").isEqualTo(99);
			assertThat(body).extractingJsonPathNumberValue("$.queues.response.capacity").isEqualTo(2 * 8192);
			assertThat(body).extractingJsonPathNumberValue("$.queues.accessLog.capacity").isEqualTo(16384);
			assertThat(body).extractingJsonPathNumberValue("$.connections.active").isEqualTo(1);
			assertThat(body).extractingJsonPathStringValue("$.limits.keepAliveTimeout").isEqualTo("PT1M5S");
			assertThat(body).extractingJsonPathBooleanValue("$.accessLog.enabled").isTrue();
			assertThat(body).extractingJsonPathStringValue("$.accessLog.output").isEqualTo("log");
		}
	}

	@Test
	void notExposedUnlessIncluded() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=health")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			assertThat(get(port, "/actuator/hybridserver").statusCode()).isEqualTo(404);
			assertThat(context.getBeanNamesForType(HybridServerEndpoint.class)).isEmpty();
		}
	}

	@Test
	void onTheManagementPortItDescribesTheApplicationsServer() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.server.port=0",
					"management.endpoints.web.exposure.include=hybridserver")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			String managementPort = context.getEnvironment().getProperty("local.management.port");
			HttpResponse<String> response = get(managementPort, "/actuator/hybridserver");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(this.json.from(response.body())).extractingJsonPathNumberValue("$.listener.port")
				.isEqualTo(Integer.parseInt(port));
		}
	}

	@Test
	void webFluxApplicationsHaveItToo() throws Exception {
		try (var context = new SpringApplicationBuilder(ReactiveTestApplication.class)
			.properties("server.port=0", "spring.main.web-application-type=reactive",
					"server.hybrid.reactive.dispatch=event-loop", "management.endpoints.web.exposure.include=hybridserver")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = get(port, "/actuator/hybridserver");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.workers.kind")
				.isEqualTo("event-loop");
		}
	}

}
