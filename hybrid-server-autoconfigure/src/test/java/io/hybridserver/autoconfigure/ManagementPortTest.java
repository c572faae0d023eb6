package io.hybridserver.autoconfigure;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextRefreshedEvent;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.boot.HybridWebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator on its own port ({@code management.server.port}): Boot's child management context gets a second hybrid
 * server, and the endpoints answer there and only there.
 */
class ManagementPortTest {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<String> get(String port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void actuatorAnswersOnTheManagementPortServedByASecondHybridServer() throws Exception {
		java.util.List<Object> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.server.port=0",
					"management.endpoints.web.exposure.include=health,info,metrics")
			.listeners((ContextRefreshedEvent event) -> {
				if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
					servers.add(web.getWebServer());
				}
			})
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			String managementPort = context.getEnvironment().getProperty("local.management.port");
			assertThat(managementPort).isNotNull().isNotEqualTo(port);
			HttpResponse<String> health = get(managementPort, "/actuator/health");
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"status\":\"UP\"");
			assertThat(get(managementPort, "/actuator/metrics/hybrid.server.requests").statusCode()).isEqualTo(200);
			assertThat(get(port, "/actuator/health").statusCode()).isEqualTo(404);
			assertThat(get(port, "/hello").statusCode()).isEqualTo(200);
			assertThat(servers).hasSize(2).allSatisfy((server) -> assertThat(server).isInstanceOf(HybridWebServer.class));
		}
	}

	@Test
	void theManagementServersAccessLogHasItsOwnFiles(@TempDir Path logs) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.server.port=0", "management.endpoints.web.exposure.include=health",
					"server.hybrid.accesslog.enabled=true", "server.hybrid.accesslog.directory=" + logs,
					"server.hybrid.accesslog.rotate=false", "server.hybrid.accesslog.pattern=%U %s")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			String managementPort = context.getEnvironment().getProperty("local.management.port");
			assertThat(get(port, "/hello").statusCode()).isEqualTo(200);
			assertThat(get(managementPort, "/actuator/health").statusCode()).isEqualTo(200);
		}
		assertThat(Files.readAllLines(logs.resolve("access_log.log"))).containsExactly("/hello 200");
		assertThat(Files.readAllLines(logs.resolve("management_access_log.log"))).containsExactly("/actuator/health 200");
	}

}
