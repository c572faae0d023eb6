package io.hybridserver.sample;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks both reactive dispatch modes must pass, against a running sample. */
final class ReactiveSampleChecks {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ReactiveSampleChecks() {
	}

	static HttpRequest.Builder request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
	}

	static HttpResponse<String> send(int port, HttpRequest.Builder builder) throws Exception {
		return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The same status, content type, body and request id as {@code SampleApplicationTest} sees in the servlet mode. */
	static void hello(int port) throws Exception {
		HttpResponse<String> response = send(port, request(port, "/hello?name=sample").header("X-Request-Id", "abc-123"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("Content-Length")).hasValue("28");
		assertThat(response.body()).isEqualTo("{\"message\":\"Hello, sample!\"}");
		assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
	}

	static void echo(int port) throws Exception {
		HttpResponse<String> response = send(port, request(port, "/echo").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"ping\":\"pong\"}")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.body()).isEqualTo("{\"ping\":\"pong\"}");
		HttpResponse<String> empty = send(port, request(port, "/echo").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(empty.statusCode()).isEqualTo(200);
		assertThat(empty.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		assertThat(empty.body()).isEmpty();
	}

	/** 200 KB: many request chunks read by demand, under WebFlux's default 256 KB in-memory limit. */
	static void echoLargeBody(int port) throws Exception {
		byte[] body = new byte[200_000];
		new Random(42).nextBytes(body);
		HttpResponse<byte[]> response = CLIENT.send(
				request(port, "/echo").header("Content-Type", "application/octet-stream")
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
		assertThat(Arrays.equals(response.body(), body)).isTrue();
	}

	/**
	 * Three events 400 ms apart: each must be readable before the next is emitted, so the events arrive spread out
	 * rather than together at the end.
	 */
	static void stream(int port) throws Exception {
		// A first, short stream loads and compiles the streaming path; on a busy machine a cold first write can take
		// longer than the interval, and the events emitted meanwhile would then arrive together.
		assertThat(send(port, request(port, "/stream?count=1&interval=1")).body())
			.isEqualTo("id:1\nevent:tick\ndata:event 1\n\n");
		long start = System.nanoTime();
		HttpResponse<InputStream> response = CLIENT.send(
				request(port, "/stream?count=3&interval=400").header("Accept", "text/event-stream").build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=UTF-8");
		long[] arrivals = new long[3];
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			for (int n = 1; n <= 3; n++) {
				assertThat(reader.readLine()).isEqualTo("id:" + n);
				arrivals[n - 1] = System.nanoTime() - start;
				assertThat(reader.readLine()).isEqualTo("event:tick");
				assertThat(reader.readLine()).isEqualTo("data:event " + n);
				assertThat(reader.readLine()).isEmpty();
			}
			assertThat(reader.readLine()).isNull();
		}
		// Emitted at about 400, 800 and 1200 ms: the first must not wait for the last.
		assertThat(Duration.ofNanos(arrivals[2] - arrivals[0])).isGreaterThanOrEqualTo(Duration.ofMillis(400));
	}

}
