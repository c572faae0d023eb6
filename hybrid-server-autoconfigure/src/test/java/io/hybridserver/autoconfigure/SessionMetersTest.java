package io.hybridserver.autoconfigure;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.session.SessionTestApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The session meters, read as Tomcat's {@code tomcat.sessions.*} are: sessions created, alive now and at most, ended
 * by invalidation and by timeout (both "expired"), the longest life of an ended one, and none rejected. Real requests
 * to a real application; the meters are read from the application's registry.
 */
@SpringBootTest(classes = SessionTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class SessionMetersTest {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void sessionsAreCountedAsTomcatCountsThem() throws Exception {
		double created = counter("started");
		double expired = counter("expired");
		String[] cookies = new String[3];
		for (int i = 0; i < cookies.length; i++) {
			cookies[i] = sessionCookie(send("GET", "/visits", null));
		}
		assertThat(counter("started")).isEqualTo(created + 3);
		assertThat(gauge("active.current")).isGreaterThanOrEqualTo(3);
		assertThat(gauge("active.max")).isGreaterThanOrEqualTo(3);
		// A session seen again is not created again.
		assertThat(send("GET", "/visits", cookies[0]).body()).isEqualTo("visits=2");
		assertThat(counter("started")).isEqualTo(created + 3);

		// Invalidated: ended, counted as expired, and its life (at least the 50 ms waited here) is the longest so far.
		double active = gauge("active.current");
		Thread.sleep(50);
		assertThat(send("POST", "/logout", cookies[1]).body()).isEqualTo("bye");
		assertThat(counter("expired")).isEqualTo(expired + 1);
		assertThat(gauge("active.current")).isEqualTo(active - 1);
		assertThat(gauge("active.max")).isGreaterThanOrEqualTo(active);
		assertThat(this.registry.get("hybrid.server.sessions.alive.max").timeGauge().value(TimeUnit.MILLISECONDS))
			.isGreaterThanOrEqualTo(50);
		assertThat(this.registry.get("hybrid.server.sessions.alive.max").timeGauge().baseTimeUnit())
			.isEqualTo(TimeUnit.SECONDS);

		// Timed out: a one-second session found expired when its client comes back.
		String shortLived = sessionCookie(send("GET", "/short", null));
		Thread.sleep(1_500);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			send("GET", "/visits", shortLived);
			assertThat(counter("expired")).isEqualTo(expired + 2);
		});
		assertThat(counter("rejected")).isZero();
	}

	private double counter(String name) {
		return this.registry.get("hybrid.server.sessions." + name).functionCounter().count();
	}

	private double gauge(String name) {
		return this.registry.get("hybrid.server.sessions." + name).gauge().value();
	}

	private HttpResponse<String> send(String method, String path, String cookie) throws Exception {
		return SessionApplicationTest.send(this.client, this.port, method, path, cookie);
	}

	private static String sessionCookie(HttpResponse<String> response) {
		String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
		return setCookie.substring(0, setCookie.indexOf(';'));
	}

}
