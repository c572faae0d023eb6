package io.hybridserver.sample;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/grafana/hybrid-server.json against a real Prometheus: the sample runs over HTTPS (so the TLS panels have
 * handshakes to show), Prometheus scrapes its {@code /actuator/prometheus} every two seconds, the test sends requests of
 * every outcome and a plain-text request to the TLS port, and then every query of every panel must return data
 * through Prometheus's HTTP API, with the dashboard's variables replaced as Grafana would.
 *
 * <p>The session panels are held to the same rule: the traffic creates a session in every round (a client without
 * cookies asks {@code /visits}), so the {@code hybrid.server.sessions.*} meters have data to show.
 *
 * <p>{@code -Dhybrid.dashboard.render=docs/images/grafana-dashboard.png} (with {@code -Dhybrid.dashboard.minutes=N},
 * default 3) also sends varying traffic for that long and draws every panel from Prometheus's data with
 * docs/grafana/render-dashboard.py (matplotlib).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("https")
class GrafanaDashboardTest {

	private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "hybrid-server.json");

	private static final String JOB = "hybrid-sample";

	/** Grafana's variables as the test fills them: this job, every instance, a rate window of 10 scrapes. */
	private static final Map<String, String> VARIABLES = Map.of("$__rate_interval", "20s", "$instance", ".*", "$job",
			JOB);

	private static final Pattern METRIC = Pattern.compile("\\b(?:hybrid_server|http_server)_[a-z0-9_]+");

	@LocalServerPort
	int port;

	@TempDir
	Path work;

	private final SSLContext trustDevCertificate = SslBundle
		.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("classpath:dev-tls/dev-cert.pem")))
		.createSslContext();

	@Test
	void everyPanelQueryReturnsDataFromARealPrometheus() throws Exception {
		String binary = PrometheusServer.requireBinary();
		Path ca = this.work.resolve("dev-cert.pem");
		try (InputStream in = new ClassPathResource("dev-tls/dev-cert.pem").getInputStream()) {
			Files.copy(in, ca);
		}
		Map<String, String> queries = panelQueries();
		assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
		try (PrometheusServer prometheus = PrometheusServer.start(binary, this.work, scrapeConfig(ca))) {
			sendTraffic(3);
			Map<String, String> missing = new LinkedHashMap<>();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
			do {
				// A few requests between polls, so that every rate() window has increases to see.
				sendTraffic(1);
				Thread.sleep(1000);
				missing.clear();
				List<String> stored = prometheus.metricNames();
				for (Map.Entry<String, String> query : queries.entrySet()) {
					if (!prometheus.query(query.getValue()).isEmpty()) {
						continue;
					}
					List<String> absent = metrics(query.getValue()).stream()
						.filter((name) -> !stored.contains(name))
						.toList();
					missing.put(query.getKey(), query.getValue() + " (absent from the scrape: " + absent + ")");
				}
			}
			while (!missing.isEmpty() && System.nanoTime() < deadline);
			assertThat(missing).as("panel queries without data; targets: %s; Prometheus log: %s",
					prometheus.activeTargets(), prometheus.output())
				.isEmpty();
			String render = System.getProperty("hybrid.dashboard.render");
			if (render != null && !render.isBlank()) {
				render(prometheus, Path.of("..").resolve(render));
			}
		}
	}

	/** Every panel's query, keyed by panel title and refId, with the dashboard's variables replaced. */
	@SuppressWarnings("unchecked")
	private static Map<String, String> panelQueries() throws Exception {
		Map<String, Object> dashboard = new ObjectMapper().readValue(Files.readString(DASHBOARD), Map.class);
		Map<String, String> queries = new LinkedHashMap<>();
		for (Map<String, Object> panel : (List<Map<String, Object>>) dashboard.get("panels")) {
			for (Map<String, Object> target : (List<Map<String, Object>>) panel.get("targets")) {
				String expr = (String) target.get("expr");
				for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
					expr = expr.replace(variable.getKey(), variable.getValue());
				}
				assertThat(expr).as("a variable the test does not fill").doesNotContain("$");
				queries.put(panel.get("title") + " / " + target.get("refId"), expr);
			}
		}
		return queries;
	}

	/** The metric names a query reads, with the suffixes the text format adds to a histogram's samples. */
	private static List<String> metrics(String expr) {
		List<String> names = new ArrayList<>();
		Matcher matcher = METRIC.matcher(expr);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

	private String scrapeConfig(Path ca) {
		return """
				global:
				  scrape_interval: 2s
				  scrape_timeout: 2s
				scrape_configs:
				  - job_name: %s
				    scheme: https
				    metrics_path: /actuator/prometheus
				    tls_config:
				      ca_file: %s
				      server_name: localhost
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(JOB, ca, this.port);
	}

	/**
	 * Requests of every outcome over new TLS connections (so each round has a handshake, full or resumed), and a plain
	 * HTTP request to the TLS port, which is a failed handshake ({@code reason=plaintext}).
	 */
	private void sendTraffic(int rounds) throws Exception {
		for (int round = 0; round < rounds; round++) {
			HttpClient client = HttpClient.newBuilder()
				.sslContext(this.trustDevCertificate)
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(5))
				.build();
			assertThat(send(client, get("/hello"))).isEqualTo(200);
			// A new client has no cookie: a new session each round, for the session panels.
			assertThat(send(client, get("/visits"))).isEqualTo(200);
			assertThat(send(client, get("/no-such-page"))).isEqualTo(404);
			assertThat(send(client, get("/boom"))).isEqualTo(500);
			assertThat(send(client, request("/echo").header("Content-Type", "text/plain")
				.POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096))))).isEqualTo(200);
			plainTextToTheTlsPort();
		}
	}

	private void plainTextToTheTlsPort() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.getInputStream().readAllBytes();
		}
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
	}

	private HttpRequest get(String path) {
		return request(path).build();
	}

	private static int send(HttpClient client, HttpRequest request) throws Exception {
		return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static int send(HttpClient client, HttpRequest.Builder request) throws Exception {
		return send(client, request.build());
	}

	/** Varying traffic for a few minutes, then every panel drawn from Prometheus's data into {@code image}. */
	private void render(PrometheusServer prometheus, Path image) throws Exception {
		long minutes = Long.getLong("hybrid.dashboard.minutes", 3);
		DashboardTraffic traffic = new DashboardTraffic(this.port, this.trustDevCertificate);
		long start = System.currentTimeMillis();
		traffic.run(Duration.ofMinutes(minutes));
		// Debian's python3-matplotlib belongs to the system Python, which another python3 on the PATH may hide.
		String python3 = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
		Process python = new ProcessBuilder(python3, Path.of("..", "docs", "grafana", "render-dashboard.py").toString(),
				"--prometheus", prometheus.baseUrl(), "--dashboard", DASHBOARD.toString(), "--job", JOB, "--start",
				Long.toString(start / 1000), "--end", Long.toString(System.currentTimeMillis() / 1000), "--out",
				image.toString())
			.inheritIO()
			.start();
		assertThat(python.waitFor(5, TimeUnit.MINUTES)).isTrue();
		assertThat(python.exitValue()).as("render-dashboard.py").isZero();
	}

}
