package io.hybridserver.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.dispatch.DispatchTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/** Forward, include, named dispatch and error pages (by status, by exception, global) over real sockets. */
@SpringBootTest(classes = DispatchTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.web.error.include-message=always")
class DispatchApplicationTest {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void forwardRepointsTheRequestAndExposesTheOriginal() throws Exception {
		assertThat(get("/dispatch/forward").body())
			.isEqualTo("target FORWARD uri=/pages/target extra=1 forwardUri=/dispatch/forward includeUri=null");
	}

	@Test
	void includeKeepsThePathsAndExposesTheTarget() throws Exception {
		assertThat(get("/dispatch/include").body()).isEqualTo(
				"before|target INCLUDE uri=/dispatch/include extra=2 forwardUri=null includeUri=/pages/target|after");
	}

	@Test
	void namedDispatchSetsNoForwardAttributes() throws Exception {
		assertThat(get("/dispatch/named").body())
			.isEqualTo("target FORWARD uri=/dispatch/named extra=null forwardUri=null includeUri=null");
	}

	@Test
	void errorPagesByStatusAndByExceptionType() throws Exception {
		HttpResponse<String> gone = get("/dispatch/gone");
		assertThat(gone.statusCode()).isEqualTo(410);
		assertThat(gone.body()).isEqualTo("error page ERROR status=410 type=null uri=/dispatch/gone message=it left");
		HttpResponse<String> bad = get("/dispatch/bad");
		assertThat(bad.statusCode()).isEqualTo(500);
		assertThat(bad.body()).isEqualTo("error page ERROR status=500 type=class java.lang.IllegalArgumentException "
				+ "uri=/dispatch/bad message=bad argument on purpose");
	}

	@Test
	void otherFailuresReachBootsGlobalErrorPage() throws Exception {
		HttpResponse<String> other = get("/dispatch/other");
		assertThat(other.statusCode()).isEqualTo(500);
		assertThat(other.body()).contains("\"path\":\"/dispatch/other\"", "\"message\":\"unmapped failure\"");
		HttpResponse<String> missing = get("/dispatch/nothing");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.body()).contains("\"status\":404");
	}

}
