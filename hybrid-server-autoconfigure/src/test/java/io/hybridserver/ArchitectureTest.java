package io.hybridserver;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of DESIGN.md: lower layers never import higher ones, and the I/O tier knows neither Servlet nor
 * Spring.
 */
class ArchitectureTest {

	private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
		.importPackages("io.hybridserver");

	private static final String[] ABOVE_TRANSPORT = { "io.hybridserver.tls..", "io.hybridserver.http..",
			"io.hybridserver.dispatch..", "io.hybridserver.servlet..", "io.hybridserver.reactive..",
			"io.hybridserver.metrics..", "io.hybridserver.boot..", "io.hybridserver.autoconfigure.." };

	@Test
	void transportImportsNoHigherLayer() {
		noClasses().that().resideInAPackage("io.hybridserver.transport..")
			.should().dependOnClassesThat().resideInAnyPackage(ABOVE_TRANSPORT)
			.check(MAIN);
	}

	@Test
	void tlsImportsOnlyTransportNettyAndSpringSslBundles() {
		noClasses().that().resideInAPackage("io.hybridserver.tls..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.http..", "io.hybridserver.dispatch..",
					"io.hybridserver.servlet..", "io.hybridserver.reactive..", "io.hybridserver.metrics..",
					"io.hybridserver.boot..", "io.hybridserver.autoconfigure..", "jakarta.servlet..", "io.micrometer..",
					"org.jctools..")
			.orShould()
			.dependOnClassesThat(resideInAPackage("org.springframework..")
				.and(not(resideInAPackage("org.springframework.boot.ssl.."))))
			.check(MAIN);
	}

	@Test
	void httpImportsOnlyTransportAndTls() {
		noClasses().that().resideInAPackage("io.hybridserver.http..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.dispatch..", "io.hybridserver.servlet..",
					"io.hybridserver.reactive..", "io.hybridserver.metrics..", "io.hybridserver.boot..",
					"io.hybridserver.autoconfigure..", "io.hybridserver.websocket..", "io.hybridserver.queues..",
					"io.hybridserver.accesslog..", "jakarta.servlet..", "org.springframework..", "org.jctools..",
					"io.micrometer..")
			.check(MAIN);
	}

	@Test
	void queuesKnowNothingOfTheServer() {
		// The lowest layer beside transport: which JCTools queue this JVM gets, for dispatch and the access log alike.
		noClasses().that().resideInAPackage("io.hybridserver.queues..")
			.should().dependOnClassesThat(resideInAPackage("io.hybridserver..")
				.and(not(resideInAPackage("io.hybridserver.queues.."))))
			.orShould()
			.dependOnClassesThat().resideInAnyPackage("io.netty..", "org.springframework..", "jakarta..", "io.micrometer..")
			.check(MAIN);
	}

	@Test
	void accessLogKnowsOnlyTheExchangesItLogsAndTheQueues() {
		// Fed by completion events from http, as the metrics are; it must not reach into the tiers that produce them.
		noClasses().that().resideInAPackage("io.hybridserver.accesslog..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.dispatch..", "io.hybridserver.servlet..",
					"io.hybridserver.reactive..", "io.hybridserver.metrics..", "io.hybridserver.boot..",
					"io.hybridserver.autoconfigure..", "io.hybridserver.websocket..", "io.hybridserver.transport..",
					"io.hybridserver.tls..", "jakarta.servlet..", "org.springframework..")
			.check(MAIN);
	}

	@Test
	void webSocketConnectionsKnowOnlyHttpAndNetty() {
		// The loop side of WebSocket: frames and the connection's life; what they mean is servlet.websocket's.
		noClasses().that().resideInAPackage("io.hybridserver.websocket..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.dispatch..", "io.hybridserver.servlet..",
					"io.hybridserver.reactive..", "io.hybridserver.metrics..", "io.hybridserver.boot..",
					"io.hybridserver.autoconfigure..", "io.hybridserver.queues..", "jakarta..", "org.springframework..",
					"org.jctools..", "io.micrometer..")
			.check(MAIN);
	}

	@Test
	void jakartaWebSocketStaysInTheServletWebSocketLayer() {
		noClasses().that().resideOutsideOfPackage("io.hybridserver.servlet.websocket..")
			.should().dependOnClassesThat().resideInAPackage("jakarta.websocket..")
			.check(MAIN);
	}

	@Test
	void sharedHttpPackageKnowsNoProtocolPackage() {
		// What every protocol shares stays in http; each protocol lives in its own subpackage: HTTP/2 takes a connection
		// over from HTTP/1.1 through ProtocolNegotiation, HTTP/3 is a listener of its own that boot binds.
		noClasses().that().resideInAPackage("io.hybridserver.http")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.http.h1..", "io.hybridserver.http.h2..",
					"io.hybridserver.http.h3..")
			.check(MAIN);
	}

	@Test
	void protocolPackagesKnowNotEachOther() {
		noClasses().that().resideInAPackage("io.hybridserver.http.h1..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.http.h2..", "io.hybridserver.http.h3..")
			.check(MAIN);
		noClasses().that().resideInAPackage("io.hybridserver.http.h2..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.http.h1..", "io.hybridserver.http.h3..")
			.check(MAIN);
		noClasses().that().resideInAPackage("io.hybridserver.http.h3..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.http.h1..", "io.hybridserver.http.h2..")
			.check(MAIN);
	}

	@Test
	void applicationTiersNeverLearnTheProtocol() {
		noClasses().that().resideInAnyPackage("io.hybridserver.servlet..", "io.hybridserver.reactive..",
				"io.hybridserver.dispatch..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.http.h1..", "io.hybridserver.http.h2..",
					"io.hybridserver.http.h3..")
			.check(MAIN);
	}

	@Test
	void dispatchKnowsNoNettyServletOrSpring() {
		noClasses().that().resideInAPackage("io.hybridserver.dispatch..")
			.should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.hybridserver.servlet..",
					"io.hybridserver.reactive..", "io.hybridserver.metrics..", "io.hybridserver.boot..",
					"io.hybridserver.autoconfigure..", "jakarta.servlet..", "org.springframework..", "io.micrometer..")
			.check(MAIN);
	}

	@Test
	void servletContainerKnowsNoNettyNorSpring() {
		noClasses().that().resideInAPackage("io.hybridserver.servlet..")
			.should().dependOnClassesThat().resideInAnyPackage("io.netty..", "org.springframework..", "io.micrometer..",
					"io.hybridserver.reactive..", "io.hybridserver.metrics..", "io.hybridserver.boot..",
					"io.hybridserver.autoconfigure..", "io.hybridserver.transport..", "io.hybridserver.tls..")
			.check(MAIN);
	}

	@Test
	void reactiveAdapterSeesExchangesAndBuffersButNoPipelinesServletOrBoot() {
		// Netty's buffers and header map are allowed: they are what makes the DataBuffer hand-off copy-free.
		noClasses().that().resideInAPackage("io.hybridserver.reactive..")
			.should().dependOnClassesThat().resideInAnyPackage("io.netty.channel..", "io.netty.handler.ssl..",
					"io.hybridserver.transport..", "io.hybridserver.tls..", "io.hybridserver.servlet..",
					"io.hybridserver.metrics..", "io.hybridserver.boot..", "io.hybridserver.autoconfigure..",
					"jakarta.servlet..", "io.micrometer..", "org.jctools..")
			.check(MAIN);
	}

	@Test
	void springReactiveServerApiStaysInTheReactiveLayerAndBoot() {
		noClasses().that().resideInAnyPackage("io.hybridserver.transport..", "io.hybridserver.tls..",
				"io.hybridserver.http..", "io.hybridserver.dispatch..", "io.hybridserver.servlet..",
				"io.hybridserver.metrics..")
			.should().dependOnClassesThat().resideInAPackage("org.springframework.http.server.reactive..")
			.check(MAIN);
	}

	@Test
	void metricsDependsOnNothingAboveIt() {
		noClasses().that().resideInAPackage("io.hybridserver.metrics..")
			.should().dependOnClassesThat().resideInAnyPackage("io.hybridserver.boot..", "io.hybridserver.autoconfigure..",
					"io.hybridserver.servlet..", "jakarta.servlet..")
			.check(MAIN);
	}

	@Test
	void servletApiStaysInTheServletLayerAndBootSpi() {
		noClasses().that().resideInAnyPackage("io.hybridserver.transport..", "io.hybridserver.tls..",
				"io.hybridserver.http..", "io.hybridserver.dispatch..", "io.hybridserver.reactive..",
				"io.hybridserver.metrics..", "io.hybridserver.websocket..")
			.should().dependOnClassesThat().resideInAPackage("jakarta.servlet..")
			.check(MAIN);
	}

	@Test
	void bootLayerDoesNotReachIntoAutoConfiguration() {
		noClasses().that().resideInAPackage("io.hybridserver.boot..")
			.should().dependOnClassesThat().resideInAPackage("io.hybridserver.autoconfigure..")
			.check(MAIN);
	}

	@Test
	void loggingGoesThroughCommonsLoggingOnly() {
		// System.Logger and JUL bypass the application's logging system: Spring Boot resets JUL on SIGTERM, and the
		// graceful-shutdown lines were lost. Commons Logging (spring-jcl) reaches it, as Boot's own servers do.
		noClasses().that().resideInAPackage("io.hybridserver..")
			.should().dependOnClassesThat().belongToAnyOf(System.Logger.class, System.Logger.Level.class,
					System.LoggerFinder.class)
			.orShould()
			.dependOnClassesThat().resideInAPackage("java.util.logging..")
			.check(MAIN);
	}

	@Test
	void noPackageCycles() {
		slices().matching("io.hybridserver.(*)..").should().beFreeOfCycles().check(MAIN);
	}

}
