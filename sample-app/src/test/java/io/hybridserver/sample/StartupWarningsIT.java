package io.hybridserver.sample;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The executable jar starts on Java 24 or later without a {@code WARNING:} line on stderr: none for Netty's native
 * libraries (the jar's {@code Enable-Native-Access: ALL-UNNAMED} manifest entry) and none for
 * {@code sun.misc.Unsafe} (the dispatch tier's atomic JCTools queues). It runs the jar on the JDK named by the
 * {@code startup.warnings.jdk} system property, or on Temurin 25 where CI installs it, or on this JVM when that is 24 or
 * later; with none of them the test is skipped. Requests are served first, so that the queues are in use.
 */
class StartupWarningsIT {

	private static final Pattern STARTED = Pattern.compile("Hybrid server started on port (\\d+)");

	@Test
	void theJarStartsAndServesWithoutWarningsOnJava24AndLater() throws Exception {
		Path java = javaOfAtLeast24();
		assumeTrue(java != null, "no JDK 24 or later here");
		File jar = new File(System.getProperty("sample.jar", "target/sample-app-0.1.0-SNAPSHOT.jar"));
		assertThat(jar).isFile();
		Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar.getAbsolutePath(),
				"--server.port=0", "--server.shutdown=immediate")
			.start();
		ByteArrayOutputStream stderr = new ByteArrayOutputStream();
		Thread errors = copy(process.getErrorStream(), stderr, "startup-warnings-stderr");
		CompletableFuture<Integer> started = new CompletableFuture<>();
		StringBuilder stdout = new StringBuilder();
		Thread output = new Thread(() -> readStdout(process.getInputStream(), stdout, started), "startup-warnings-out");
		output.setDaemon(true);
		output.start();
		try {
			int port = started.get(180, TimeUnit.SECONDS);
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
			for (String path : List.of("/", "/actuator/health")) {
				HttpResponse<String> response = client.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
							.timeout(Duration.ofSeconds(20))
							.build(),
						HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).isBetween(200, 404);
			}
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			errors.join(10_000);
			Path log = Path.of("target", "startup-warnings-it.log");
			Files.createDirectories(log.getParent());
			Files.writeString(log, "stdout:\n" + stdout + "\nstderr:\n" + stderr.toString(StandardCharsets.UTF_8));
		}
		assertThat(stderr.toString(StandardCharsets.UTF_8).lines().filter((line) -> line.startsWith("WARNING:")))
			.as("stderr of %s -jar", java)
			.isEmpty();
	}

	private static Path javaOfAtLeast24() {
		String configured = System.getProperty("startup.warnings.jdk");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured, "bin", "java");
		}
		if (Runtime.version().feature() >= 24) {
			return Path.of(System.getProperty("java.home"), "bin", "java");
		}
		Path temurin25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
		return Files.isExecutable(temurin25) ? temurin25 : null;
	}

	private static Thread copy(InputStream in, ByteArrayOutputStream out, String name) {
		Thread thread = new Thread(() -> {
			try (in) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				// The process ended.
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void readStdout(InputStream in, StringBuilder stdout, CompletableFuture<Integer> started) {
		try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				synchronized (stdout) {
					stdout.append(line).append('\n');
				}
				Matcher matcher = STARTED.matcher(line);
				if (matcher.find()) {
					started.complete(Integer.parseInt(matcher.group(1)));
				}
			}
			started.completeExceptionally(new IllegalStateException("The process ended:\n" + stdout));
		}
		catch (IOException ex) {
			started.completeExceptionally(ex);
		}
	}

}
