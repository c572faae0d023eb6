package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.json.BasicJsonTester;
import org.springframework.boot.test.json.JsonContent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/hybridserver} in real Actuator applications: what it shows, that it follows the usual exposure
 * rules, and that on a separate management port it describes the application's server.
 */
class HybridServerEndpointTest {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final BasicJsonTester json = new BasicJsonTester(getClass());

	private HttpResponse<String> get(String port, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void showsTheListenerTransportWorkersQueuesAndLimitsInEffect() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=hybridserver",
					"server.hybrid.workers=7", "server.hybrid.request-queue-capacity=99", "server.hybrid.io-threads=2",
					"server.hybrid.keep-alive-timeout=65s", "server.hybrid.accesslog.enabled=true",
					"server.hybrid.accesslog.output=log")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = get(port, "/actuator/hybridserver");
			assertThat(response.statusCode()).isEqualTo(200);
			JsonContent<Object> body = this.json.from(response.body());
			assertThat(body).extractingJsonPathBooleanValue("$.running").isTrue();
			assertThat(body).extractingJsonPathNumberValue("$.listener.port").isEqualTo(Integer.parseInt(port));
			assertThat(body).extractingJsonPathStringValue("$.listener.scheme").isEqualTo("http");
			assertThat(body).extractingJsonPathStringValue("$.transport.running").isNotBlank();
			assertThat(body).extractingJsonPathNumberValue("$.transport.ioThreads").isEqualTo(2);
			assertThat(body).extractingJsonPathStringValue("$.workers.kind").isEqualTo("platform-threads");
			assertThat(body).extractingJsonPathNumberValue("$.workers.max").isEqualTo(7);
			assertThat(body).extractingJsonPathNumberValue("$.queues.request.capacity").isEqualTo(99);
			assertThat(body).extractingJsonPathNumberValue("$.queues.response.capacity").isEqualTo(2 * 8192);
			assertThat(body).extractingJsonPathNumberValue("$.queues.accessLog.capacity").isEqualTo(16384);
			assertThat(body).extractingJsonPathNumberValue("$.connections.active").isEqualTo(1);
			assertThat(body).extractingJsonPathStringValue("$.limits.keepAliveTimeout").isEqualTo("PT1M5S");
			assertThat(body).extractingJsonPathBooleanValue("$.accessLog.enabled").isTrue();
			assertThat(body).extractingJsonPathStringValue("$.accessLog.output").isEqualTo("log");
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void listsTheCertificatesOfEachTlsListenerWithTheirNamesAndExpiry() throws Exception {
		// TLS on server.port with a bundle per server name (SNI), a clear-text listener (not listed) and a TLS listener
		// with a bundle of its own. The endpoint's read operation is called on the running application.
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=hybridserver",
					"spring.ssl.bundle.pem.web.keystore.certificate=classpath:tls/server.pem",
					"spring.ssl.bundle.pem.web.keystore.private-key=classpath:tls/server.key",
					"spring.ssl.bundle.pem.alt.keystore.certificate=classpath:tls/alt.pem",
					"spring.ssl.bundle.pem.alt.keystore.private-key=classpath:tls/alt.key", "server.ssl.bundle=web",
					"server.ssl.server-name-bundles[0].server-name=alt.example.test",
					"server.ssl.server-name-bundles[0].bundle=alt",
					"server.hybrid.additional-listeners[0].name=plain",
					"server.hybrid.additional-listeners[0].port=0",
					"server.hybrid.additional-listeners[1].name=https-alt",
					"server.hybrid.additional-listeners[1].port=0",
					"server.hybrid.additional-listeners[1].ssl.bundle=alt")
			.run()) {
			Map<String, Object> server = context.getBean(HybridServerEndpoint.class).server();
			Map<String, List<Map<String, Object>>> certificates = (Map<String, List<Map<String, Object>>>) server
				.get("certificates");
			assertThat(certificates).containsOnlyKeys("primary", "https-alt");
			List<Map<String, Object>> primary = certificates.get("primary");
			assertThat(primary).hasSize(2);
			assertThat(primary.get(0)).containsEntry("serverName", null)
				.containsEntry("bundle", "web")
				.containsEntry("subject", "CN=localhost")
				.containsEntry("issuer", "CN=hybrid-server test CA")
				.containsEntry("subjectAlternativeNames", List.of("DNS:localhost", "IP:127.0.0.1"));
			assertThat(primary.get(1)).containsEntry("serverName", "alt.example.test")
				.containsEntry("bundle", "alt")
				.containsEntry("subjectAlternativeNames", List.of("DNS:alt.example.test"));
			Map<String, Object> alt = certificates.get("https-alt").get(0);
			assertThat(alt).containsEntry("bundle", "alt").containsEntry("subject", "CN=alt.example.test");
			// The test certificates were made for 100 years; what matters is that the endpoint reads their dates.
			Instant notAfter = Instant.parse((String) alt.get("notAfter"));
			assertThat(notAfter).isAfter(Instant.now().plus(Duration.ofDays(3650)));
			assertThat(Instant.parse((String) alt.get("notBefore"))).isBefore(Instant.now());
			assertThat((Long) alt.get("daysLeft")).isEqualTo(Duration.between(Instant.now(), notAfter).toDays());
		}
	}

	@Test
	void showsEveryHttpAndHttp2SettingAndTheWorkersStartedOnDemand() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=hybridserver",
					"server.hybrid.workers=30", "server.hybrid.min-spare-workers=3",
					"server.hybrid.worker-idle-timeout=90s", "server.hybrid.max-keep-alive-requests=77")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			JsonContent<Object> body = this.json.from(get(port, "/actuator/hybridserver").body());
			assertThat(body).extractingJsonPathNumberValue("$.workers.minSpare").isEqualTo(3);
			assertThat(body).extractingJsonPathStringValue("$.workers.idleTimeout").isEqualTo("PT1M30S");
			assertThat(body).extractingJsonPathNumberValue("$.workers.current").satisfies(
					(current) -> assertThat(current.intValue()).isBetween(3, 30));
			HybridServerSettings settings = ((HybridWebServer) ((WebServerApplicationContext) context).getWebServer())
				.getSettings();
			assertThat(body).extractingJsonPathMapValue("$.limits")
				.containsOnlyKeys(settings.getHttp().describe().keySet().toArray(String[]::new));
			assertThat(body).extractingJsonPathMapValue("$.http2")
				.containsOnlyKeys(settings.getHttp2().describe().keySet().toArray(String[]::new));
			assertThat(body).extractingJsonPathNumberValue("$.limits.maxKeepAliveRequests").isEqualTo(77);
			assertThat(body).extractingJsonPathMapValue("$.certificates").isEmpty();
		}
	}

	@Test
	void notExposedUnlessIncluded() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.endpoints.web.exposure.include=health")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			assertThat(get(port, "/actuator/hybridserver").statusCode()).isEqualTo(404);
			assertThat(context.getBeanNamesForType(HybridServerEndpoint.class)).isEmpty();
		}
	}

	@Test
	void onTheManagementPortItDescribesTheApplicationsServer() throws Exception {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "management.server.port=0",
					"management.endpoints.web.exposure.include=hybridserver")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			String managementPort = context.getEnvironment().getProperty("local.management.port");
			HttpResponse<String> response = get(managementPort, "/actuator/hybridserver");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(this.json.from(response.body())).extractingJsonPathNumberValue("$.listener.port")
				.isEqualTo(Integer.parseInt(port));
		}
	}

	@Test
	void webFluxApplicationsHaveItToo() throws Exception {
		try (var context = new SpringApplicationBuilder(ReactiveTestApplication.class)
			.properties("server.port=0", "spring.main.web-application-type=reactive",
					"server.hybrid.reactive.dispatch=event-loop", "management.endpoints.web.exposure.include=hybridserver")
			.run()) {
			String port = context.getEnvironment().getProperty("local.server.port");
			HttpResponse<String> response = get(port, "/actuator/hybridserver");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(this.json.from(response.body())).extractingJsonPathStringValue("$.workers.kind")
				.isEqualTo("event-loop");
		}
	}

}
