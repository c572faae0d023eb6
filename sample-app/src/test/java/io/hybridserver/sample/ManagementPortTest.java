package io.hybridserver.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator on its own port while Tomcat (and Reactor Netty) are still on the classpath: their management-context
 * factories are present too, and the hybrid server's must still be the one used.
 */
class ManagementPortTest {

	@Test
	void actuatorOnTheManagementPort() throws Exception {
		assertHealthOnTheManagementPort("--server.port=0", "--management.server.port=0");
	}

	/**
	 * The reactive profile: Reactor Netty's management-context factory is present too, and the hybrid server's must
	 * win. (The profile excludes Tomcat's reactive one, which Spring Boot cannot register next to Reactor Netty's.)
	 */
	@Test
	void actuatorOnTheManagementPortInTheReactiveProfile() throws Exception {
		assertHealthOnTheManagementPort("--server.port=0", "--management.server.port=0",
				"--spring.profiles.active=reactive");
	}

	/** Command-line arguments, which win over application.yml (default properties would not: its port 8080 would). */
	private static void assertHealthOnTheManagementPort(String... args) throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run(args)) {
			String managementPort = context.getEnvironment().getProperty("local.management.port");
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			HttpResponse<String> health = client.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/health"))
						.timeout(Duration.ofSeconds(20))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(health.body()).contains("\"status\":\"UP\"");
			assertThat(context.getEnvironment().getProperty("local.server.port")).isNotEqualTo(managementPort);
		}
	}

}
