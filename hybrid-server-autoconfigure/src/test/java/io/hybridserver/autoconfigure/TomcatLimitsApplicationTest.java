package io.hybridserver.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.hybridserver.apps.limits.LimitsTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's limits as {@code server.hybrid.*} properties written in Boot's notation ({@code 1KB}, {@code 300B}), each
 * shown at its bound: just under passes, just over gets Tomcat's answer (413 for a form body, 400 for too many
 * parameters or an over-long part header block, an empty 500 for over-large response headers), and the listen backlog
 * as the kernel reports it.
 */
@SpringBootTest(classes = LimitsTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.hybrid.max-form-post-size=1KB", "server.hybrid.max-parameter-count=10",
				"server.hybrid.max-part-header-size=300B", "server.hybrid.max-response-header-size=2KB",
				"server.hybrid.accept-backlog=37" })
class TomcatLimitsApplicationTest {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", contentType)
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String form(int parameters, int valueLength) {
		StringJoiner form = new StringJoiner("&");
		for (int i = 0; i < parameters; i++) {
			form.add("p" + i + "=" + "v".repeat(valueLength));
		}
		return form.toString();
	}

	@Test
	void formPostSizeIsBoundedAt1KbWith413() throws Exception {
		String small = "a=" + "x".repeat(1024 - 2);
		HttpResponse<String> atLimit = post("/form", "application/x-www-form-urlencoded", small);
		assertThat(atLimit.statusCode()).isEqualTo(200);
		assertThat(atLimit.body()).isEqualTo("params=1");
		assertThat(post("/form", "application/x-www-form-urlencoded", small + "x").statusCode()).isEqualTo(413);
	}

	@Test
	void parameterCountIsBoundedAt10With400() throws Exception {
		HttpResponse<String> ten = post("/form", "application/x-www-form-urlencoded", form(10, 1));
		assertThat(ten.statusCode()).isEqualTo(200);
		assertThat(ten.body()).isEqualTo("params=10");
		assertThat(post("/form", "application/x-www-form-urlencoded", form(11, 1)).statusCode()).isEqualTo(400);
	}

	@Test
	void partHeaderSizeIsBoundedAt300BytesWith400() throws Exception {
		String shortName = "n".repeat(100);
		String longName = "n".repeat(400);
		HttpResponse<String> fits = post("/upload", "multipart/form-data; boundary=XyZ", multipart(shortName));
		assertThat(fits.statusCode()).isEqualTo(200);
		assertThat(fits.body()).isEqualTo("parts=1");
		assertThat(post("/upload", "multipart/form-data; boundary=XyZ", multipart(longName)).statusCode())
			.isEqualTo(400);
	}

	private static String multipart(String fieldName) {
		return "--XyZ\r\nContent-Disposition: form-data; name=\"" + fieldName + "\"\r\n\r\nvalue\r\n--XyZ--\r\n";
	}

	@Test
	void responseHeaderSizeIsBoundedAt2KbWithAnEmpty500() throws Exception {
		HttpResponse<String> fits = get("/header?size=1500");
		assertThat(fits.statusCode()).isEqualTo(200);
		assertThat(fits.headers().firstValue("X-Large")).hasValueSatisfying((value) -> assertThat(value).hasSize(1500));
		assertThat(fits.body()).isEqualTo("body");
		HttpResponse<String> tooLarge = get("/header?size=2100");
		assertThat(tooLarge.statusCode()).isEqualTo(500);
		assertThat(tooLarge.headers().firstValue("X-Large")).isEmpty();
		assertThat(tooLarge.body()).isEmpty();
		// The connection's next request is answered as usual.
		assertThat(get("/header?size=10").statusCode()).isEqualTo(200);
	}

	@Test
	void acceptBacklogIsTheListenQueueTheKernelReports() throws Exception {
		// For a listening socket, ss reports the backlog it was given as Send-Q (Linux).
		Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + this.port).redirectErrorStream(true).start();
		String output;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(ss.getInputStream(), StandardCharsets.UTF_8))) {
			output = reader.lines().reduce("", (a, b) -> a + b + "\n");
		}
		assertThat(ss.waitFor(20, TimeUnit.SECONDS)).isTrue();
		assertThat(output).as(output).isNotBlank();
		String[] columns = output.lines().findFirst().orElseThrow().trim().split("\\s+");
		// State Recv-Q Send-Q Local Peer
		assertThat(columns[0]).isEqualTo("LISTEN");
		assertThat(columns[2]).isEqualTo("37");
	}

}
