package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.testsupport.AccessLogFiles;
import io.hybridserver.testsupport.H2cClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log of a Spring MVC application, end to end: real requests over HTTP/1.1 and h2c, each line read back
 * from the file the server wrote, field by field.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.http2.enabled=true", "server.hybrid.accesslog.enabled=true",
				"server.hybrid.accesslog.pattern=%h %l %u %t \"%r\" %s %b | %H %m %U %q %B %{X-Stamped}o "
						+ "\"%{User-Agent}i\" %{flavour}c %X %p %A %D %F %I" })
class AccessLogMvcApplicationTest {

	@TempDir
	static Path logs;

	@DynamicPropertySource
	static void logDirectory(DynamicPropertyRegistry registry) {
		registry.add("server.hybrid.accesslog.directory", () -> logs.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private String lineFor(String requestLine) throws Exception {
		return AccessLogFiles.awaitLine(logs, (line) -> line.contains("\"" + requestLine + "\""));
	}

	@Test
	void aGetIsLoggedFieldByField() throws Exception {
		HttpResponse<String> response = get("/hello?name=line1", "User-Agent", "access-log-test/1.0", "Cookie",
				"flavour=vanilla; other=1");
		assertThat(response.statusCode()).isEqualTo(200);
		String line = lineFor("GET /hello?name=line1 HTTP/1.1");
		int bytes = response.body().length();
		assertThat(line).matches("127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] "
				+ "\"GET /hello\\?name=line1 HTTP/1\\.1\" 200 " + bytes + " \\| HTTP/1\\.1 GET /hello \\?name=line1 "
				+ bytes + " yes \"access-log-test/1\\.0\" vanilla \\+ " + this.port + " 127\\.0\\.0\\.1 \\d+ \\d+ \\S+");
		assertThat(line).doesNotContain("hybrid-io").as("the worker that ran the controller, not an event loop");
	}

	@Test
	void errorsAndMissingPagesAreLoggedWithTheirStatus() throws Exception {
		assertThat(get("/boom?n=1").statusCode()).isEqualTo(500);
		assertThat(get("/no-such-page").statusCode()).isEqualTo(404);
		assertThat(lineFor("GET /boom?n=1 HTTP/1.1")).contains("\" 500 ");
		assertThat(lineFor("GET /no-such-page HTTP/1.1")).contains("\" 404 ");
	}

	@Test
	void aPostIsLoggedWithItsResponseSize() throws Exception {
		String json = "{\"post\":\"logged\"}";
		HttpResponse<String> response = this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/echo?p=1"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(json))
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(lineFor("POST /echo?p=1 HTTP/1.1")).contains("\" 200 " + json.length() + " | HTTP/1.1 POST /echo ?p=1");
	}

	@Test
	void anHttp2RequestIsLoggedAsHttp2() throws Exception {
		try (H2cClient h2 = new H2cClient(this.port)) {
			H2cClient.Response response = h2.get("/hello?name=h2").get(10, TimeUnit.SECONDS);
			assertThat(response.status()).isEqualTo(200);
			String line = lineFor("GET /hello?name=h2 HTTP/2.0");
			assertThat(line).contains("\" 200 " + response.body().length + " | HTTP/2.0 GET /hello ?name=h2");
			// HTTP/2 keeps its connection for further streams.
			assertThat(line).contains(" + " + this.port + " ");
		}
	}

	@Test
	void linesGoToTodaysFileUnderTheConfiguredDirectory() throws Exception {
		get("/hello?name=file");
		lineFor("GET /hello?name=file HTTP/1.1");
		try (var files = Files.list(logs)) {
			List<String> names = files.map((file) -> file.getFileName().toString()).toList();
			assertThat(names).contains("access_log." + LocalDate.now() + ".log");
		}
	}

	@Test
	void theDroppedLinesMeterIsBoundAndZero() throws Exception {
		get("/hello?name=meter");
		lineFor("GET /hello?name=meter HTTP/1.1");
		assertThat(this.meters.get("hybrid.server.accesslog.lines.dropped").tag("reason", "queue-full").functionCounter()
			.count()).isZero();
		assertThat(this.meters.get("hybrid.server.accesslog.lines.dropped").tag("reason", "write-failed")
			.functionCounter().count()).isZero();
		assertThat(this.meters.get("hybrid.server.queue.depth").tag("queue", "accesslog").gauge()).isNotNull();
	}

}
