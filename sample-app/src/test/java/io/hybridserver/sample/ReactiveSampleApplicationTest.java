package io.hybridserver.sample;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.util.ClassUtils;

import io.hybridserver.boot.HybridReactiveWebServerFactory;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.boot.ReactiveDispatchMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a WebFlux application (its {@code reactive} mode): Reactor Netty is on the classpath, yet the hybrid
 * server answers, the shared endpoints answer as they do in the servlet mode, and the reactive-only stream streams.
 * Handlers run on the workers, the default dispatch mode; {@link ReactiveSampleEventLoopTest} covers the other one.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class ReactiveSampleApplicationTest {

	@LocalServerPort
	int port;

	@Autowired
	ReactiveWebServerApplicationContext context;

	@Autowired
	HybridReactiveWebServerFactory factory;

	@Test
	void hybridServerWinsOverReactorNettyOnTheClasspath() {
		assertThat(ClassUtils.isPresent("reactor.netty.http.server.HttpServer", null)).isTrue();
		assertThat(this.context.getWebServer()).isInstanceOf(HybridWebServer.class);
		assertThat(this.factory.getDispatchMode()).isEqualTo(ReactiveDispatchMode.WORKERS);
	}

	@Test
	void servletOnlyEndpointsAreAbsent() throws Exception {
		assertThat(ReactiveSampleChecks.send(this.port, ReactiveSampleChecks.request(this.port, "/visits"))
			.statusCode()).isEqualTo(404);
	}

	@Test
	void helloAnswersAsInTheServletMode() throws Exception {
		ReactiveSampleChecks.hello(this.port);
	}

	@Test
	void echoAnswersAsInTheServletMode() throws Exception {
		ReactiveSampleChecks.echo(this.port);
	}

	@Test
	void echoReadsABodyOfManyChunks() throws Exception {
		ReactiveSampleChecks.echoLargeBody(this.port);
	}

	@Test
	void streamSendsEachEventWhenItIsEmitted() throws Exception {
		ReactiveSampleChecks.stream(this.port);
	}

	@Test
	void actuatorReportsHealthAndServerMeters() throws Exception {
		assertThat(ReactiveSampleChecks.send(this.port, ReactiveSampleChecks.request(this.port, "/actuator/health"))
			.body()).contains("\"status\":\"UP\"");
		HttpResponse<String> metric = ReactiveSampleChecks.send(this.port,
				ReactiveSampleChecks.request(this.port, "/actuator/metrics/hybrid.server.requests"));
		assertThat(metric.statusCode()).isEqualTo(200);
		assertThat(metric.body()).contains("hybrid.server.requests");
	}

}
