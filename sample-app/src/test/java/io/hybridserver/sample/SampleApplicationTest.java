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

	/**
	 * The sample runs on the Netty the build resolved: ours, or in .ci/run's boot-managed-netty leg the one Spring
	 * Boot manages, so that leg proves the starter serves on Boot's Netty (and HTTPS on its tcnative: the TLS tests).
	 */
	@Test
	void servesOnTheNettyTheBuildResolved() throws Exception {
		String expected = System.getProperty("hybrid.test.netty.version");
		assertThat(expected).as("hybrid.test.netty.version, set by the root pom's surefire configuration").isNotBlank();
		assertThat(io.netty.util.Version.identify().get("netty-codec-http").artifactVersion()).isEqualTo(expected);
		assertThat(io.netty.util.Version.identify().get("netty-transport-native-epoll").artifactVersion())
			.isEqualTo(expected);
		assertThat(send(request("/hello")).statusCode()).isEqualTo(200);
	}

	@Test
	void servletIsTheDefaultWithWebFluxOnTheClasspathToo() throws Exception {
		assertThat(ClassUtils.isPresent("org.springframework.web.reactive.DispatcherHandler", null)).isTrue();
		assertThat(this.context.getWebServer()).isInstanceOf(HybridWebServer.class);
		assertThat(send(request("/stream")).statusCode()).isEqualTo(404);
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

	@Test
	void eventsArriveOneAtATime() throws Exception {
		HttpResponse<java.io.InputStream> response = this.client.send(
				request("/events?count=3&interval=300").header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		try (java.io.BufferedReader reader = new java.io.BufferedReader(
				new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
			for (int n = 1; n <= 3; n++) {
				assertThat(reader.readLine()).isEqualTo("id:" + n);
				assertThat(reader.readLine()).isEqualTo("event:tick");
				assertThat(reader.readLine()).isEqualTo("data:event " + n);
				assertThat(reader.readLine()).isEmpty();
			}
			assertThat(reader.readLine()).isNull();
		}
	}

	@Test
	void deferredAnswersLater() throws Exception {
		HttpResponse<String> response = send(request("/deferred?delay=150"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("{\"message\":\"deferred for 150 ms\"}");
	}

	@Test
	void uploadAnswersPartNamesAndSizes() throws Exception {
		String boundary = "sampleBoundary42";
		String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n" + "--"
				+ boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.bin\"\r\n"
				+ "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(5000) + "\r\n--" + boundary + "--\r\n";
		HttpResponse<String> response = send(request("/upload")
			.header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("[{\"name\":\"note\",\"filename\":null,\"size\":2},"
				+ "{\"name\":\"file\",\"filename\":\"data.bin\",\"size\":5000}]");
	}

	@Test
	void visitsCountsInTheSession() throws Exception {
		HttpResponse<String> first = send(request("/visits"));
		assertThat(first.body()).isEqualTo("{\"visits\":1}");
		String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
		assertThat(send(request("/visits").header("Cookie", cookie)).body()).isEqualTo("{\"visits\":2}");
		assertThat(send(request("/visits").header("Cookie", cookie)).body()).isEqualTo("{\"visits\":3}");
	}

}
