package io.hybridserver.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.async.AsyncTestApplication;
import io.hybridserver.apps.async.AsyncTestApplication.Gates;
import io.hybridserver.testsupport.RawHttpConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Asynchronous requests end to end over real sockets: Spring MVC's DeferredResult, Callable, WebAsyncTask, SseEmitter,
 * ResponseBodyEmitter and StreamingResponseBody, and servlets driving {@code AsyncContext} directly.
 */
@SpringBootTest(classes = AsyncTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.mvc.async.request-timeout=1500ms")
class AsyncApplicationTest {

	@LocalServerPort
	int port;

	@Autowired
	Gates gates;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(30));
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void deferredResultAnswersWhenTheResultIsSetFromAnotherThread() throws Exception {
		CompletableFuture<HttpResponse<String>> response = this.client.sendAsync(request("/deferred?key=a").build(),
				HttpResponse.BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(20)).until(() -> this.gates.hasDeferred("a"));
		assertThat(response).isNotDone();
		this.gates.resolve("a", "resolved later");
		HttpResponse<String> answer = response.get(20, TimeUnit.SECONDS);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("resolved later");
		// server.server-header is not set: no Server header, as Boot's default asks.
		assertThat(answer.headers().firstValue("Server")).isEmpty();
	}

	@Test
	void theMvcAsyncRequestTimeoutPropertyAppliesAndAnswers503() throws Exception {
		long start = System.nanoTime();
		HttpResponse<String> response = get("/deferred/never");
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(millis).isGreaterThanOrEqualTo(1400);
	}

	@Test
	void callableRunsOnAnotherThread() throws Exception {
		HttpResponse<String> response = get("/callable");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("callable ran on another thread: true");
	}

	@Test
	void webAsyncTaskTimesOutIntoItsTimeoutHandler() throws Exception {
		HttpResponse<String> response = get("/web-async-task");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("timed out politely");
	}

	@Test
	void sseEventsArriveOneByOne() throws Exception {
		HttpResponse<InputStream> response = this.client.send(request("/sse").header("Accept", "text/event-stream")
			.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			// The server sends the second event only once the test has read the first.
			assertThat(readEvent(reader)).containsExactly("event:tick", "data:one");
			this.gates.open("sse-second");
			assertThat(readEvent(reader)).containsExactly("event:tick", "data:two");
			this.gates.open("sse-third");
			assertThat(readEvent(reader)).containsExactly("event:tick", "data:three");
			assertThat(reader.readLine()).isNull();
		}
	}

	private static List<String> readEvent(BufferedReader reader) throws Exception {
		List<String> lines = new ArrayList<>();
		String line;
		while ((line = reader.readLine()) != null && !line.isEmpty()) {
			lines.add(line);
		}
		return lines;
	}

	@Test
	void aClientThatLeavesAnEventStreamEndsItWithoutWaitingForTheTimeout() throws Exception {
		try (RawHttpConnection connection = new RawHttpConnection(this.port)) {
			connection.send("GET /sse-hold HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n");
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(connection.input(), StandardCharsets.UTF_8));
			String line;
			while ((line = reader.readLine()) != null && !line.contains("data:first")) {
				// skip the head and the chunk size
			}
			assertThat(line).contains("data:first");
		}
		// The emitter's timeout is a minute away: only the close can end it this soon.
		await().atMost(Duration.ofSeconds(15)).until(() -> this.gates.events.contains("sse-hold completed"));
	}

	@Test
	void responseBodyEmitterStreamsEverything() throws Exception {
		HttpResponse<String> response = get("/emitter");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("line 1\nline 2\nline 3\n");
	}

	@Test
	void streamingResponseBodyStreamsMoreThanTheBuffer() throws Exception {
		HttpResponse<byte[]> response = this.client.send(request("/streaming?kib=2048").build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).hasSize(2048 * 1024);
		assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
	}

	@Test
	void asyncContextCompletesFromAContainerThreadAndTellsListeners() throws Exception {
		HttpResponse<String> response = get("/raw/complete");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("completed on hybrid-async-");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.gates.events.contains("/complete complete"));
	}

	@Test
	void asyncContextDispatchesToAnotherPathWithTheAsyncAttributes() throws Exception {
		HttpResponse<String> response = get("/raw/dispatch?x=1");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("target ASYNC from /raw/dispatch query x=1 uri /raw/target");
	}

	@Test
	void aDispatchCalledBeforeTheRequestDispatchReturnsRunsAfterIt() throws Exception {
		HttpResponse<String> response = get("/raw/early-dispatch");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("target ASYNC from /raw/early-dispatch query null uri /raw/target");
	}

	@Test
	void anAsyncTimeoutNobodyHandlesAnswers500AfterTellingListeners() throws Exception {
		HttpResponse<String> response = get("/raw/timeout");
		assertThat(response.statusCode()).isEqualTo(500);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.gates.events.containsAll(List.of("/timeout timeout", "/timeout complete")));
		assertThat(this.gates.events.indexOf("/timeout timeout"))
			.isLessThan(this.gates.events.indexOf("/timeout complete"));
	}

	@Test
	void readAndWriteListenersEchoARequestBody() throws Exception {
		byte[] body = new byte[300_000];
		HttpResponse<String> response = this.client.send(request("/nio-echo")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("echo 300000 bytes");
	}

	@Test
	void aWriteListenerStopsWhenTheClientIsSlowAndResumesWhenItReads() throws Exception {
		long total = 32L * 1024 * 1024;
		try (RawHttpConnection connection = new RawHttpConnection(this.port, 60_000)) {
			connection.send("GET /nio/write?mib=32 HTTP/1.1\r\nHost: localhost\r\n\r\n");
			// Not reading: the server must stop at isReady() == false instead of blocking a thread in write().
			await().atMost(Duration.ofSeconds(20)).until(() -> this.gates.events.contains("write paused"));
			assertThat(this.gates.events).doesNotContain("write done " + total);
			RawHttpConnection.Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.body()).hasSize((int) total);
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.gates.events.contains("write done " + total));
	}

	@Test
	void aReadListenerIsCalledAgainWhenMoreOfTheBodyArrives() throws Exception {
		// The first part fills the request body buffer (64 KiB by default): a body that has not reached it waits in
		// the I/O tier, and the application sees it only once it is complete.
		int first = 64 * 1024 + 5;
		try (RawHttpConnection connection = new RawHttpConnection(this.port, 30_000)) {
			connection.send("POST /nio/read HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + (first + 5)
					+ "\r\n\r\n");
			connection.send(new byte[first]);
			await().atMost(Duration.ofSeconds(20)).until(() -> this.gates.events.contains("read waits after " + first));
			connection.send("world");
			RawHttpConnection.Response response = connection.readResponse();
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.bodyText()).isEqualTo("read " + (first + 5));
		}
	}

	@Test
	void aServletWithoutAsyncSupportCannotStartAsync() throws Exception {
		HttpResponse<String> response = get("/sync-only");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("supported=false, refused");
	}

}
