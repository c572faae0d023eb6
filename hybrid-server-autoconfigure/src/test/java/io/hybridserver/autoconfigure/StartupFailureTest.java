package io.hybridserver.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Bad configuration fails at startup, and the failure report says what to change.
 */
class StartupFailureTest {

	private final HybridServerFailureAnalyzer analyzer = new HybridServerFailureAnalyzer();

	private Throwable start(String... properties) {
		return catchThrowable(() -> new SpringApplicationBuilder(MvcTestApplication.class).properties("server.port=0")
			.properties(properties)
			.run()
			.close());
	}

	@Test
	void unavailableTransportNamesTheCauseAndTheFix() {
		Throwable failure = start("server.hybrid.transport=kqueue");
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("kqueue").contains("not available")
			.contains("kqueue runs only on macOS and BSD")
			.doesNotContain(": null");
		assertThat(analysis.getAction()).contains("server.hybrid.transport")
			.contains("META-INF/hybrid-server/docs/configuration.md");
	}

	@Test
	void failureActionsPointToDocumentationInsideTheJar() {
		FailureAnalysis analysis = this.analyzer.analyze(start("server.hybrid.request-queue-capacity=0"));
		assertThat(analysis.getAction()).contains("hybrid-server-autoconfigure jar")
			.contains("META-INF/hybrid-server/docs/configuration.md")
			.doesNotContain("(see docs/");
		// The page named is in the jar's resources, where a user of the jar can open it.
		assertThat(getClass().getClassLoader().getResource("META-INF/hybrid-server/docs/configuration.md")).isNotNull();
		assertThat(getClass().getClassLoader().getResource("META-INF/hybrid-server/docs/tls.md")).isNotNull();
	}

	@Test
	void impossibleQueueCapacityNamesTheProperty() {
		Throwable failure = start("server.hybrid.request-queue-capacity=0");
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.request-queue-capacity");
	}

	@Test
	void http2FrameSizeOutsideTheRfcRangeNamesTheProperty() {
		Throwable failure = start("server.http2.enabled=true", "server.hybrid.http2.max-frame-size=1000");
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.http2.max-frame-size")
			.contains("16384 and 16777215");
	}

	@Test
	void http2FloodLimitsOutOfRangeNameTheirProperties() {
		assertThat(this.analyzer.analyze(start("server.http2.enabled=true",
				"server.hybrid.http2.max-control-frames-per-second=5"))
			.getDescription()).contains("server.hybrid.http2.max-control-frames-per-second must be at least 10, was 5");
		assertThat(this.analyzer.analyze(start("server.http2.enabled=true", "server.hybrid.http2.max-resets-per-window=0"))
			.getDescription()).contains("server.hybrid.http2.max-resets-per-window must be at least 1, was 0");
		assertThat(this.analyzer.analyze(start("server.http2.enabled=true", "server.hybrid.http2.reset-window=500ms"))
			.getDescription()).contains("server.hybrid.http2.reset-window must be at least 1 second");
	}

	@Test
	void aTicketKeyRotationBelowOneSecondNamesTheProperty() {
		Throwable failure = start("server.ssl.certificate=classpath:tls/server.pem",
				"server.ssl.certificate-private-key=classpath:tls/server.key",
				"server.hybrid.ssl.session-ticket-key-rotation=0s");
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.contains("server.hybrid.ssl.session-ticket-key-rotation must be at least 1s");
		assertThat(analysis.getAction()).contains("server.hybrid.ssl.session-ticket-key-rotation");
	}

	@Test
	void negativeTimeoutNamesTheSetting() {
		Throwable failure = start("server.hybrid.connection-timeout=-1s");
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.connection-timeout");
	}

	@Test
	void negativeMinimumBodyRateNamesTheProperty() {
		Throwable failure = start("server.hybrid.min-request-body-rate=-1");
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.min-request-body-rate");
	}

	@Test
	void zeroBodyRateGraceNamesTheProperty() {
		Throwable failure = start("server.hybrid.min-request-body-rate-grace=0s");
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.min-request-body-rate-grace")
			.contains("was 0s")
			.doesNotContain("PT0S");
	}

	@Test
	void negativeRequestQueueTimeoutNamesThePropertyAndWhatIsAllowed() {
		FailureAnalysis analysis = this.analyzer.analyze(start("server.hybrid.request-queue-timeout=-1s"));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.request-queue-timeout")
			.contains("must be 0")
			.contains("was -1s");
	}

	@Test
	void impossibleResourceCacheNamesTheProperty() {
		FailureAnalysis ttl = this.analyzer.analyze(start("server.hybrid.resource.cache-ttl=-1s"));
		assertThat(ttl).isNotNull();
		assertThat(ttl.getDescription()).contains("server.hybrid.resource.cache-ttl").contains("zero");
		FailureAnalysis size = this.analyzer.analyze(start("server.hybrid.resource.cache-max-entries=0"));
		assertThat(size).isNotNull();
		assertThat(size.getDescription()).contains("server.hybrid.resource.cache-max-entries");
	}

	@Test
	void negativePortMeansNoServerAsInSpringBoot() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class).properties("server.port=-1").run()) {
			assertThat(((org.springframework.boot.web.server.context.WebServerApplicationContext) context).getWebServer()
				.getPort()).isEqualTo(-1);
		}
	}

}
