package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Standard properties that change how the application is reached or run: the context path, the worker count and
 * virtual threads.
 */
class ContextPathAndThreadsTest {

	private final HttpClient client = HttpClient.newHttpClient();

	private HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		String port = context.getEnvironment().getProperty("local.server.port");
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void contextPathPrefixesEveryMapping() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "server.servlet.context-path=/app")
			.run()) {
			assertThat(get(context, "/app/hello").body()).isEqualTo("{\"message\":\"Hello, world!\"}");
			assertThat(get(context, "/hello").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void platformWorkersRunTheControllers() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "server.hybrid.workers=3")
			.run()) {
			assertThat(get(context, "/thread").body()).startsWith("hybrid-worker-").endsWith("virtual=false");
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void virtualThreadsRunTheControllersWhenEnabled() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "spring.threads.virtual.enabled=true")
			.run()) {
			assertThat(get(context, "/thread").body()).startsWith("hybrid-vworker-").endsWith("virtual=true");
		}
	}

}
