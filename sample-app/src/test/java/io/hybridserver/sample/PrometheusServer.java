package io.hybridserver.sample;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.ObjectMapper;

/**
 * A real Prometheus (Debian's {@code prometheus} package) started for a test: a scrape configuration written to a
 * temporary directory, the server on a free loopback port, and its HTTP API. A missing binary skips the test, except
 * on CI (the {@code CI} environment variable set), where {@code .ci/run} installs it and its absence is a failure.
 */
final class PrometheusServer implements AutoCloseable {

	private final Process process;

	private final Path log;

	private final int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper json = new ObjectMapper();

	private PrometheusServer(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/** The binary's path; skips the calling test when missing, fails it on CI. */
	static String requireBinary() {
		for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/opt/prometheus")) {
			File candidate = new File(dir, "prometheus");
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		String message = "prometheus is not installed (apt-get install -y prometheus)";
		if (System.getenv("CI") != null) {
			throw new AssertionError(message + "; on CI .ci/run installs it");
		}
		Assumptions.abort(message);
		return null;
	}

	/** Starts Prometheus with {@code config} (YAML) in {@code dir} and waits until it is ready. */
	static PrometheusServer start(String binary, Path dir, String config) throws Exception {
		Path configFile = dir.resolve("prometheus.yml");
		Files.writeString(configFile, config, StandardCharsets.UTF_8);
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Path log = dir.resolve("prometheus.log");
		Process process = new ProcessBuilder(binary, "--config.file=" + configFile,
				"--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
			.directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		PrometheusServer server = new PrometheusServer(process, log, port);
		try {
			server.awaitReady();
		}
		catch (Exception | AssertionError ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	private void awaitReady() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			if (!this.process.isAlive()) {
				throw new AssertionError("prometheus exited with " + this.process.exitValue() + ": " + output());
			}
			try {
				if (get("/-/ready").statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("prometheus is not ready: " + output());
			}
			Thread.sleep(100);
		}
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	/** The result list of an instant query ({@code /api/v1/query}); a query Prometheus refuses fails the test. */
	@SuppressWarnings("unchecked")
	List<Map<String, Object>> query(String promql) throws Exception {
		Map<String, Object> data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8),
				promql);
		return (List<Map<String, Object>>) data.get("result");
	}

	/** Every metric name Prometheus has stored. */
	@SuppressWarnings("unchecked")
	List<String> metricNames() throws Exception {
		HttpResponse<String> response = get("/api/v1/label/__name__/values");
		Map<String, Object> body = this.json.readValue(response.body(), Map.class);
		return (List<String>) body.get("data");
	}

	/** The health of the scrape targets, by their {@code scrapeUrl}. */
	@SuppressWarnings("unchecked")
	List<Map<String, Object>> activeTargets() throws Exception {
		return (List<Map<String, Object>>) api("/api/v1/targets", "targets").get("activeTargets");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> api(String path, String what) throws Exception {
		HttpResponse<String> response = get(path);
		Map<String, Object> body = this.json.readValue(response.body(), Map.class);
		if (response.statusCode() != 200 || !"success".equals(body.get("status"))) {
			throw new AssertionError("Prometheus refused " + what + ": " + response.body());
		}
		return (Map<String, Object>) body.get("data");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(5, TimeUnit.SECONDS);
		}
	}

}
