package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.hybridserver.apps.session.SessionTestApplication;
import io.hybridserver.boot.HybridWebServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Micrometer's Netty binders work with the server's Netty: {@code netty.allocator.*} reads the pooled allocator every
 * connection uses (memory in use grows from zero once requests were served), and
 * {@code netty.eventexecutor.tasks.pending} has one gauge per I/O event loop, named after its thread.
 */
@SpringBootTest(classes = SessionTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class NettyMeterBindersTest {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	WebServerApplicationContext context;

	@Test
	void allocatorMetersReadTheServersPooledAllocator() throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/visits")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		Gauge directUsed = this.registry.get("netty.allocator.memory.used")
			.tags("allocator.type", "PooledByteBufAllocator", "memory.type", "direct")
			.gauge();
		assertThat(directUsed.value()).isPositive();
		assertThat(this.registry.get("netty.allocator.pooled.arenas").tags("memory.type", "direct").gauge().value())
			.isPositive();
	}

	@Test
	void eachEventLoopHasAPendingTasksGauge() {
		HybridWebServer server = (HybridWebServer) this.context.getWebServer();
		var gauges = this.registry.find("netty.eventexecutor.tasks.pending").gauges();
		assertThat(gauges).hasSize(server.getSettings().getIoThreads());
		assertThat(gauges).allSatisfy((gauge) -> {
			assertThat(gauge.getId().getTag("name")).startsWith("hybrid-io");
			assertThat(gauge.value()).isGreaterThanOrEqualTo(0);
		});
	}

}
