package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.apps.session.SessionTestApplication;
import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.testsupport.AccessLogFiles;
import io.hybridserver.testsupport.H2cClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The access log across an application's life: WebFlux in both dispatch modes, lines to a logging category, the
 * session id from the servlet tier, the last lines of a graceful shutdown, and configuration that fails startup.
 * Lines are read after the context is closed, so every assertion also checks that closing flushed them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AccessLogLifecycleTest {

	@TempDir
	Path logs;

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private ConfigurableApplicationContext start(Class<?> application, String... properties) {
		return new SpringApplicationBuilder(application)
			.properties("server.port=0", "server.hybrid.accesslog.enabled=true",
					"server.hybrid.accesslog.directory=" + this.logs)
			.properties(properties)
			.run();
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void webFluxRequestsAreLoggedInBothDispatchModes() throws Exception {
		for (String mode : List.of("workers", "event-loop")) {
			int port;
			int helloBytes;
			try (var context = start(ReactiveTestApplication.class, "spring.main.web-application-type=reactive",
					"server.http2.enabled=true", "server.hybrid.reactive.dispatch=" + mode,
					"server.hybrid.accesslog.prefix=" + mode,
					"server.hybrid.accesslog.pattern=%a \"%r\" %s %b %{Content-Type}o %X")) {
				port = port(context);
				HttpResponse<String> hello = get(port, "/hello?mode=" + mode);
				assertThat(hello.statusCode()).isEqualTo(200);
				helloBytes = hello.body().length();
				HttpResponse<String> echo = this.client.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/echo"))
							.header("Content-Type", "text/plain")
							.POST(HttpRequest.BodyPublishers.ofString("twelve bytes"))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				assertThat(echo.statusCode()).isEqualTo(200);
				assertThat(get(port, "/boom").statusCode()).isEqualTo(500);
				try (H2cClient h2 = new H2cClient(port)) {
					assertThat(h2.get("/hello?h2").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
				}
			}
			List<String> lines = Files.readAllLines(onlyFile(mode));
			assertThat(lines).hasSize(4);
			assertThat(lines.get(0)).isEqualTo("127.0.0.1 \"GET /hello?mode=" + mode + " HTTP/1.1\" 200 " + helloBytes
					+ " application/json +");
			assertThat(lines.get(1)).isEqualTo("127.0.0.1 \"POST /echo HTTP/1.1\" 200 12 text/plain +");
			// Lines are in the order exchanges ended: the client may read the 500 and open its h2 connection (another
			// event loop) before the loop of /boom has heard its exchange end, so these two may come either way.
			assertThat(lines.subList(2, 4)).anySatisfy((line) -> assertThat(line)
				.startsWith("127.0.0.1 \"GET /boom HTTP/1.1\" 500 "));
			assertThat(lines.subList(2, 4)).anySatisfy((line) -> assertThat(line)
				.startsWith("127.0.0.1 \"GET /hello?h2 HTTP/2.0\" 200 "));
		}
	}

	@Test
	void linesCanGoToALoggingCategoryInstead(CapturedOutput output) throws Exception {
		try (var context = start(ReactiveTestApplication.class, "spring.main.web-application-type=reactive",
				"server.hybrid.accesslog.output=log", "server.hybrid.accesslog.log-category=test.access",
				"server.hybrid.accesslog.pattern=ACCESS %m %U %s")) {
			assertThat(get(port(context), "/hello?to=log").statusCode()).isEqualTo(200);
		}
		assertThat(output.getOut()).containsOnlyOnce("ACCESS GET /hello 200").contains("test.access");
		assertThat(this.logs).isEmptyDirectory();
	}

	@Test
	void theSessionIdComesFromTheServletTier() throws Exception {
		String cookie;
		try (var context = start(SessionTestApplication.class, "server.hybrid.accesslog.pattern=%U %S")) {
			HttpResponse<String> response = get(port(context), "/visits");
			assertThat(response.body()).isEqualTo("visits=1");
			cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
		}
		String sessionId = cookie.substring("JSESSIONID=".length(), cookie.indexOf(';'));
		assertThat(AccessLogFiles.lines(this.logs)).containsExactly("/visits " + sessionId);
	}

	@Test
	void theLastRequestsOfAGracefulShutdownAreLogged() throws Exception {
		CompletableFuture<HttpResponse<String>> inFlight;
		ConfigurableApplicationContext context = start(MvcTestApplication.class, "server.shutdown=graceful",
				"server.hybrid.accesslog.pattern=%r %s %b");
		int port = port(context);
		inFlight = this.client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
				HttpResponse.BodyHandlers.ofString());
		// The slow request is on a worker once the server counts it in flight.
		var server = (io.hybridserver.boot.HybridWebServer) ((WebServerApplicationContext) context).getWebServer();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (server.getStats().exchangesInFlight() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(server.getAccessLog().isRunning()).isTrue();
		context.close();
		assertThat(inFlight.get(5, TimeUnit.SECONDS).body()).isEqualTo("slow done");
		// The server stopped its access log after the drain (stop() waits for the writer to write what is queued,
		// flush and close: AccessLogWriterTest), and the in-flight request's line is in the file.
		assertThat(server.getAccessLog().isRunning()).isFalse();
		assertThat(AccessLogFiles.lines(this.logs)).containsExactly("GET /slow HTTP/1.1 200 9");
	}

	@Test
	@SuppressWarnings("unchecked")
	void jsonLinesRotatedBySizeForMvcAndWebFlux() throws Exception {
		JsonMapper json = JsonMapper.builder().build();
		for (Class<?> application : List.of(MvcTestApplication.class, ReactiveTestApplication.class)) {
			String name = application.getSimpleName();
			boolean reactive = application == ReactiveTestApplication.class;
			String type = reactive ? "reactive" : "servlet";
			try (var context = start(application, "spring.main.web-application-type=" + type,
					"server.hybrid.accesslog.prefix=" + name, "server.hybrid.accesslog.pattern=json %{X-Request-Id}i",
					"server.hybrid.accesslog.max-file-size=1KB")) {
				for (int i = 0; i < 8; i++) {
					HttpResponse<String> response = this.client.send(HttpRequest
						.newBuilder(URI.create("http://127.0.0.1:" + port(context) + "/hello?n=" + i))
						.header("X-Request-Id", "r" + i + " \"quoted\" \\back")
						.header("User-Agent", "json-test")
						.build(), HttpResponse.BodyHandlers.ofString());
					assertThat(response.statusCode()).isEqualTo(200);
				}
			}
			List<Path> files;
			try (var all = Files.list(this.logs)) {
				files = all.filter((file) -> file.getFileName().toString().startsWith(name))
					.sorted(Comparator.comparingInt(AccessLogLifecycleTest::fileNumber))
					.toList();
			}
			// About 330 bytes a line, 1KB a file: the eight lines fill three files at least, numbered from .1.
			assertThat(files).as(name).hasSizeGreaterThanOrEqualTo(3);
			assertThat(files.get(1).getFileName().toString()).as(name).endsWith(".1.log");
			int seen = 0;
			for (Path file : files) {
				assertThat(Files.size(file)).as(file.toString()).isLessThanOrEqualTo(1024);
				for (String line : Files.readAllLines(file)) {
					Map<String, Object> fields = json.readValue(line, Map.class);
					assertThat(fields).containsEntry("method", "GET").containsEntry("uri", "/hello")
						.containsEntry("query", "n=" + seen).containsEntry("status", 200)
						.containsEntry("userAgent", "json-test").containsEntry("remoteAddress", "127.0.0.1");
					assertThat(fields.get("requestHeaders"))
						.isEqualTo(Map.of("X-Request-Id", "r" + seen + " \"quoted\" \\back"));
					seen++;
				}
			}
			assertThat(seen).as(name).isEqualTo(8);
		}
	}

	@Test
	void badConfigurationFailsStartupNamingTheProperty() throws Exception {
		HybridServerFailureAnalyzer analyzer = new HybridServerFailureAnalyzer();
		FailureAnalysis pattern = analyzer
			.analyze(catchThrowable(() -> start(MvcTestApplication.class, "server.hybrid.accesslog.pattern=%h %Q").close()));
		assertThat(pattern).isNotNull();
		assertThat(pattern.getDescription()).contains("server.hybrid.accesslog.pattern").contains("%Q");
		FailureAnalysis encoding = analyzer.analyze(
				catchThrowable(() -> start(MvcTestApplication.class, "server.hybrid.accesslog.encoding=klingon").close()));
		assertThat(encoding).isNotNull();
		assertThat(encoding.getDescription()).contains("server.hybrid.accesslog.encoding");
		FailureAnalysis queue = analyzer.analyze(catchThrowable(
				() -> start(MvcTestApplication.class, "server.hybrid.accesslog.queue-capacity=2000000000").close()));
		assertThat(queue).isNotNull();
		assertThat(queue.getDescription()).contains("server.hybrid.accesslog.queue-capacity must be between 16 and");
		Path notADirectory = Files.writeString(this.logs.resolve("a-file"), "x");
		FailureAnalysis directory = analyzer.analyze(catchThrowable(() -> start(MvcTestApplication.class,
				"server.hybrid.accesslog.directory=" + notADirectory.resolve("logs")).close()));
		assertThat(directory).isNotNull();
		assertThat(directory.getDescription()).contains("server.hybrid.accesslog.directory");
		FailureAnalysis size = analyzer.analyze(catchThrowable(
				() -> start(MvcTestApplication.class, "server.hybrid.accesslog.max-file-size=100B").close()));
		assertThat(size).isNotNull();
		assertThat(size.getDescription()).contains("server.hybrid.accesslog.max-file-size must be at least 1KB");
		FailureAnalysis json = analyzer.analyze(catchThrowable(
				() -> start(MvcTestApplication.class, "server.hybrid.accesslog.pattern=json %h").close()));
		assertThat(json).isNotNull();
		assertThat(json.getDescription()).contains("server.hybrid.accesslog.pattern").contains("cannot follow json");
	}

	/** 0 for prefix.date.log, N for prefix.date.N.log. */
	private static int fileNumber(Path file) {
		String[] parts = file.getFileName().toString().split("\\.");
		return (parts.length > 3) ? Integer.parseInt(parts[parts.length - 2]) : 0;
	}

	private Path onlyFile(String prefix) throws Exception {
		try (var files = Files.list(this.logs)) {
			List<Path> found = files.filter((file) -> file.getFileName().toString().startsWith(prefix)).toList();
			assertThat(found).hasSize(1);
			return found.get(0);
		}
	}

}
