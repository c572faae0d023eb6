package io.hybridserver.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.util.ClassUtils;

import io.hybridserver.boot.HybridWebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user runs it: Tomcat is on the classpath, yet the hybrid server answers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTest {

	@LocalServerPort
	int port;

	@Autowired
	ServletWebServerApplicationContext context;

	private final HttpClient client = HttpClient.newHttpClient();

	private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
		return this.client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
	}

	@Test
	void hybridServerWinsOverTomcatOnTheClasspath() {
		assertThat(ClassUtils.isPresent("org.apache.catalina.startup.Tomcat", null)).isTrue();
		assertThat(this.context.getWebServer()).isInstanceOf(HybridWebServer.class);
	}

	@Test
	void helloAnswersJsonAndTheFilterStampsARequestId() throws Exception {
		HttpResponse<String> response = send(request("/hello?name=sample").header("X-Request-Id", "abc-123"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"message\":\"Hello, sample!\"}");
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
	}

	@Test
	void echoReturnsTheBody() throws Exception {
		HttpResponse<String> response = send(request("/echo").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"ping\":\"pong\"}")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo("{\"ping\":\"pong\"}");
	}

	@Test
	void boomIsAnsweredByBootsErrorHandling() throws Exception {
		HttpResponse<String> response = send(request("/boom").header("Accept", "application/json"));
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("\"status\":500").contains("\"path\":\"/boom\"");
	}

	@Test
	void actuatorReportsHealthAndServerMeters() throws Exception {
		assertThat(send(request("/actuator/health")).body()).contains("\"status\":\"UP\"");
		HttpResponse<String> metric = send(request("/actuator/metrics/hybrid.server.queue.depth?tag=queue:request"));
		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(metric.body()).contains("hybrid.server.queue.depth");
	}

}
