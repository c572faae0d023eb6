package io.hybridserver.sample;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.test.context.ActiveProfiles;

import io.hybridserver.boot.HybridReactiveWebServerFactory;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.boot.ReactiveDispatchMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code reactive} profile with handlers on the event loops
 * ({@code server.hybrid.reactive.dispatch=event-loop}): the same answers as with workers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.hybrid.reactive.dispatch=event-loop")
@ActiveProfiles("reactive")
class ReactiveSampleEventLoopTest {

	@LocalServerPort
	int port;

	@Autowired
	ReactiveWebServerApplicationContext context;

	@Autowired
	HybridReactiveWebServerFactory factory;

	@Test
	void theReactiveProfileRunsTheHybridServerWithHandlersOnTheEventLoops() {
		assertThat(this.context.getWebServer()).isInstanceOf(HybridWebServer.class);
		assertThat(this.factory.getDispatchMode()).isEqualTo(ReactiveDispatchMode.EVENT_LOOP);
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

}
