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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's own shutdown lines reach the application's logging system when the process gets SIGTERM, as they do
 * with Spring Boot's own servers. Spring Boot resets {@code java.util.logging} on the way down, so a line logged
 * through {@code System.Logger} (JUL by default) was lost exactly here; through Commons Logging it is printed by
 * Logback with Boot's console pattern. Runs the executable jar in its own JVM: only a real signal exercises the
 * shutdown hooks in the order users get them.
 */
class GracefulShutdownLoggingIT {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

	/** What the JVM exits with after SIGTERM once its shutdown hooks have run: 128 + 15. */
	private static final int SIGTERM_EXIT_STATUS = 143;

	private static final Pattern STARTED = Pattern.compile("Hybrid server started on port (\\d+)");

	private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

	private final List<String> output = Collections.synchronizedList(new ArrayList<>());

	private Process process;

	private int port;

	@Test
	void gracefulShutdownLinesAreLoggedThroughTheApplicationsLoggingSystemOnSigterm() throws Exception {
		Thread reader = start();
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/"))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).as("the application answers before it is stopped").isLessThan(500);

		// SIGTERM on Linux. Not Process.destroy(): it also closes our end of the output pipe, and the lines printed on
		// the way down would be lost by this test rather than by the application.
		this.process.toHandle().destroy();
		assertThat(this.process.waitFor(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
			.as("the process ends after SIGTERM:\n%s", printed())
			.isTrue();
		reader.join(TimeUnit.SECONDS.toMillis(10));

		assertThat(this.process.exitValue()).as("exit status after SIGTERM:\n%s", printed())
			.isEqualTo(SIGTERM_EXIT_STATUS);
		assertThat(linesOf("io.hybridserver.boot.HybridWebServer", "Commencing graceful shutdown. "
				+ "Waiting for active requests to complete"))
			.as("HybridWebServer's first shutdown line, in Boot's console pattern:\n%s", printed())
			.hasSize(1);
		assertThat(linesOf("io.hybridserver.boot.HybridWebServer", "Graceful shutdown complete"))
			.as("HybridWebServer's last shutdown line, in Boot's console pattern:\n%s", printed())
			.hasSize(1);
	}

	private Thread start() throws Exception {
		File jar = new File(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).as("the executable jar (built by package before this test)").isFile();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		this.process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.getAbsolutePath(), "--server.port=0",
				"--server.shutdown=graceful", "--spring.output.ansi.enabled=never")
			.redirectErrorStream(true)
			.start();
		CompletableFuture<Integer> started = new CompletableFuture<>();
		Thread reader = new Thread(() -> readOutput(started), "graceful-shutdown-output");
		reader.setDaemon(true);
		reader.start();
		try {
			this.port = started.get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("The jar did not start within " + STARTUP_TIMEOUT + ":\n" + printed(), ex);
		}
		return reader;
	}

	private void readOutput(CompletableFuture<Integer> started) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				this.output.add(ANSI.matcher(line).replaceAll(""));
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

	/**
	 * The lines with this message from this logger in Spring Boot's default console pattern ({@code date level pid ---
	 * [application] [thread] logger : message}), which only Boot's Logback configuration prints: a line that went to
	 * JUL's own console handler looks different, and one lost is not there at all.
	 */
	private List<String> linesOf(String logger, String message) {
		Pattern line = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2})"
				+ "\\s+INFO \\d+ --- \\[hybrid-sample\\] \\[[^\\]]+\\] " + Pattern.quote(logger) + "\\s+: "
				+ Pattern.quote(message) + "$");
		synchronized (this.output) {
			return this.output.stream().filter((candidate) -> line.matcher(candidate).matches()).toList();
		}
	}

	private String printed() {
		synchronized (this.output) {
			return String.join("\n", this.output);
		}
	}

	@AfterEach
	void stop() throws Exception {
		if (this.process == null) {
			return;
		}
		if (this.process.isAlive()) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		Path log = Path.of("target", "graceful-shutdown-logging-it.log");
		Files.createDirectories(log.getParent());
		Files.write(log, new ArrayList<>(this.output));
	}

}
