package io.hybridserver.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The names our meters get in Prometheus, read from {@code /actuator/prometheus} of a real application whose every
 * binder is on (TLS, access log, WebSocket, static resources) after real traffic: no unit word twice in a name (the
 * old {@code hybrid_server_connections_accepted_connections_total}), timers in {@code _seconds}, byte counts in
 * {@code _bytes}, and exactly the names docs/metrics.md lists. Meters added later are checked by the same rules
 * without a change here, since the rules run over every {@code hybrid_server_} family the scrape shows.
 */
@SpringBootTest(classes = MvcTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
				"server.ssl.key-alias=server", "server.hybrid.accesslog.enabled=true",
				"management.endpoints.web.exposure.include=prometheus" })
class PrometheusNamesTest {

	/**
	 * The names docs/metrics.md lists under "Prometheus names" (families as the text format declares them), read from
	 * the copy of the docs the jar ships, so that the table and the server cannot drift apart.
	 */
	private static final Set<String> DOCUMENTED = documentedNames();

	/** Documented families that this application does not export: HTTP/3 is off here. */
	private static final String NOT_EXPORTED_HERE = "hybrid_server_quic_";

	/** Suffixes the exposition format adds to a family's samples; not part of the name the rules look at. */
	private static final List<String> SAMPLE_SUFFIXES = List.of("_total", "_count", "_sum", "_bucket", "_max");

	@TempDir
	static Path logs;

	@DynamicPropertySource
	static void logDirectory(DynamicPropertyRegistry registry) {
		registry.add("server.hybrid.accesslog.directory", () -> logs.toString());
	}

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	private final HttpClient client = TestTls.httpClient(TestTls.clientContext(null));

	@Test
	void theApplicationExportsToPrometheus() {
		assertThat(this.registry).isInstanceOf(PrometheusMeterRegistry.class);
	}

	@Test
	void everyNameIsFreeOfRepeatedUnitsAndEndsInItsBaseUnit() throws Exception {
		assertThat(TestTls.get(this.client, this.port, "/hello").statusCode()).isEqualTo(200);
		// The queue-wait timer and the handshake meters register on first use: wait until the scrape shows them.
		await().atMost(10, TimeUnit.SECONDS)
			.untilAsserted(() -> assertThat(families(scrape())).containsKeys("hybrid_server_queue_wait_seconds",
					"hybrid_server_tls_handshakes_total"));
		Map<String, String> families = families(scrape());
		List<String> problems = new ArrayList<>();
		families.forEach((name, type) -> problems.addAll(problems(name, type)));
		assertThat(problems).isEmpty();
		assertThat(families.keySet()).containsAll(
				DOCUMENTED.stream().filter((name) -> !name.startsWith(NOT_EXPORTED_HERE)).toList());
		assertThat(families.keySet()).as("every exported name is documented in docs/metrics.md")
			.allMatch(DOCUMENTED::contains);
	}

	@Test
	void meterBaseUnitsAreBytesOrSecondsOnly() {
		// Any other base unit ("connections", "requests") would be appended to the Prometheus name as if a unit.
		for (Meter meter : this.registry.getMeters()) {
			String baseUnit = meter.getId().getBaseUnit();
			if (meter.getId().getName().startsWith("hybrid.server.") && baseUnit != null) {
				assertThat(baseUnit).as(meter.getId().getName()).isIn("bytes", "seconds");
			}
		}
	}

	@Test
	void theRulesCatchTheOldNames() {
		assertThat(problems("hybrid_server_connections_accepted_connections_total", "counter")).isNotEmpty();
		assertThat(problems("hybrid_server_bytes_received_bytes_total", "counter")).isNotEmpty();
		assertThat(problems("hybrid_server_bytes_received_total", "counter")).isNotEmpty();
		assertThat(problems("hybrid_server_queue_wait_milliseconds", "summary")).isNotEmpty();
		assertThat(problems("hybrid_server_queue_wait", "summary")).isNotEmpty();
		assertThat(problems("hybrid_server_received_bytes_total", "counter")).isEmpty();
	}

	/** What is wrong with one exported family's name; empty when nothing is. */
	static List<String> problems(String family, String type) {
		List<String> problems = new ArrayList<>();
		String base = family;
		for (String suffix : SAMPLE_SUFFIXES) {
			if (base.endsWith(suffix)) {
				base = base.substring(0, base.length() - suffix.length());
				break;
			}
		}
		List<String> words = Arrays.asList(base.split("_"));
		Set<String> seen = new HashSet<>();
		for (String word : words) {
			if (!seen.add(word)) {
				problems.add(family + ": the word '" + word + "' appears twice");
			}
		}
		for (String unit : List.of("milliseconds", "microseconds", "nanoseconds", "millis", "kilobytes", "megabytes")) {
			if (words.contains(unit)) {
				problems.add(family + ": '" + unit + "' is not a base unit (seconds, bytes)");
			}
		}
		if (words.contains("bytes") && !base.endsWith("_bytes")) {
			problems.add(family + ": a byte count should end in _bytes");
		}
		// A timer's _max gauge shares its summary's name, so checking the summary covers both.
		boolean timed = type.equals("summary") || type.equals("histogram");
		if (timed && !base.endsWith("_seconds") && !base.endsWith("_bytes")) {
			problems.add(family + ": a timer should end in _seconds");
		}
		if (type.equals("counter") && !family.endsWith("_total")) {
			problems.add(family + ": a counter should end in _total");
		}
		return problems;
	}

	/** {@code hybrid_server_} families of a scrape, by name as its {@code # TYPE} line gives it, to their type. */
	private static Map<String, String> families(String scrape) {
		Map<String, String> families = new TreeMap<>();
		for (String line : scrape.split("\n")) {
			if (line.startsWith("# TYPE hybrid_server_")) {
				String[] parts = line.split(" ");
				families.put(parts[2], parts[3]);
			}
		}
		return families;
	}

	private String scrape() throws Exception {
		HttpResponse<String> response = TestTls.get(this.client, this.port, "/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}


	private static Set<String> documentedNames() {
		try (InputStream doc = PrometheusNamesTest.class.getClassLoader()
			.getResourceAsStream("META-INF/hybrid-server/docs/metrics.md")) {
			assertThat(doc).as("docs/metrics.md in the jar").isNotNull();
			String text = new String(doc.readAllBytes(), StandardCharsets.UTF_8);
			int start = text.indexOf("## Prometheus names");
			int end = text.indexOf("\n## ", start + 1);
			Set<String> names = new TreeSet<>();
			for (String row : text.substring(start, (end < 0) ? text.length() : end).split("\n")) {
				String[] cells = row.split("\\|");
				if (cells.length > 2 && cells[1].trim().startsWith("`hybrid.server.")) {
					Matcher name = Pattern.compile("`(hybrid_server_[a-z0-9_]+)`").matcher(cells[2]);
					while (name.find()) {
						names.add(name.group(1));
					}
				}
			}
			assertThat(names).as("names in the Prometheus table of docs/metrics.md").isNotEmpty();
			return names;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
