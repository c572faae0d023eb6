package io.hybridserver.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as users run it: {@code java -jar} on the executable jar, where the class path is Spring Boot's nested
 * jars and {@code ClassLoader.getResource} searches each of them under a shared lock, which {@code @SpringBootTest}
 * (class directories) never shows. Static locations are narrowed to the servlet context so that requests reach
 * {@code ServletContext.getResource} as Spring MVC's resource handling asks it, and the lookups are read from the
 * {@code hybrid.server.resource.*} meters.
 */
class ExecutableJarIT {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private static final Pattern STARTED = Pattern.compile("Hybrid server started on port (\\d+)");

	private static final String BOOTSTRAP_CSS = "/webjars/bootstrap/5.3.3/dist/css/bootstrap.min.css";

	private static Process process;

	private static final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

	private static int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void startTheJar() throws Exception {
		File jar = new File(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the executable jar (built by package before this test)").isFile();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.getAbsolutePath(), "--server.port=0",
				// Resources only through the servlet context (not classpath: locations, which Spring reads itself), and
				// /webjars/** through them too.
				"--spring.web.resources.static-locations=classpath:/no-such-location/",
				"--spring.mvc.webjars-path-pattern=/classpath-webjars/**",
				// Long enough that no answer expires during the test: the counts below are then exact.
				"--server.hybrid.resource.cache-ttl=10m", "--server.shutdown=immediate")
			.redirectErrorStream(true)
			.start();
		CompletableFuture<Integer> started = new CompletableFuture<>();
		Thread reader = new Thread(() -> readOutput(started), "executable-jar-output");
		reader.setDaemon(true);
		reader.start();
		try {
			port = started.get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("The jar did not start within " + STARTUP_TIMEOUT + ":\n" + String.join("\n", output),
					ex);
		}
	}

	private static void readOutput(CompletableFuture<Integer> started) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				output.add(line);
				Matcher matcher = STARTED.matcher(line);
				if (matcher.find()) {
					started.complete(Integer.parseInt(matcher.group(1)));
				}
			}
			started.completeExceptionally(new IllegalStateException("The process ended"));
		}
		catch (IOException ex) {
			started.completeExceptionally(ex);
		}
	}

	@AfterAll
	static void stopTheJar() throws Exception {
		if (process == null) {
			return;
		}
		process.destroy();
		if (!process.waitFor(20, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		Path log = Path.of("target", "executable-jar-it.log");
		Files.createDirectories(log.getParent());
		Files.write(log, new ArrayList<>(output));
	}

	@Test
	void webjarsInNestedJarsAreServedThroughTheServletContextFromTheIndex() throws Exception {
		assertThat(meter("hybrid.server.resource.jars", null)).as("indexed jars").isGreaterThanOrEqualTo(1);
		HttpResponse<String> css = get(BOOTSTRAP_CSS);
		assertThat(css.statusCode()).isEqualTo(200);
		assertThat(css.body()).contains("Bootstrap  v5.3.3");
		assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/css"));
		assertThat(meter("hybrid.server.resource.lookups", "classpath")).isZero();
	}

	@Test
	void missingResourcesAreLookedUpOncePerPathNeverOnTheClassLoader() throws Exception {
		double index = meter("hybrid.server.resource.lookups", "index");
		double cache = meter("hybrid.server.resource.lookups", "cache");
		int paths = 5;
		int rounds = 20;
		for (int round = 0; round < rounds; round++) {
			for (int i = 0; i < paths; i++) {
				assertThat(get("/no-such-page-" + i + ".css").statusCode()).isEqualTo(404);
			}
		}
		// Each distinct path: one index lookup (however many jars there are), then the cached "no".
		assertThat(meter("hybrid.server.resource.lookups", "index") - index).isEqualTo(paths);
		assertThat(meter("hybrid.server.resource.lookups", "cache") - cache).isGreaterThanOrEqualTo(paths * (rounds - 1));
		assertThat(meter("hybrid.server.resource.lookups", "classpath")).isZero();
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A meter's value from the actuator ({@code /actuator/metrics}), optionally for one {@code source} tag. */
	private double meter(String name, String source) throws Exception {
		String path = "/actuator/metrics/" + name + ((source != null) ? "?tag=source:" + source : "");
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		Matcher value = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)").matcher(response.body());
		assertThat(value.find()).as(response.body()).isTrue();
		return Double.parseDouble(value.group(1));
	}

}
