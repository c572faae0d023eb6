package io.hybridserver.sample;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

/**
 * Traffic whose rate rises and falls, for the dashboard's picture (GrafanaDashboardTest with
 * {@code -Dhybrid.dashboard.render}): a few clients on the loopback, bounded in time, mostly {@code /hello} with some
 * slower {@code /deferred}, session visits, 404s, 500s, requests without {@code Host} (400), new TLS connections and
 * plain text sent to the TLS port.
 * Not a load test: the rate stays within tens of requests per second.
 */
final class DashboardTraffic {

	private static final int CLIENTS = 4;

	private final int port;

	private final SSLContext tls;

	DashboardTraffic(int port, SSLContext tls) {
		this.port = port;
		this.tls = tls;
	}

	void run(Duration duration) throws Exception {
		long end = System.nanoTime() + duration.toNanos();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < CLIENTS; i++) {
				running.add(clients.submit(() -> {
					client(end);
					return null;
				}));
			}
			for (Future<?> each : running) {
				each.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	private void client(long end) throws Exception {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		HttpClient client = newClient();
		int sent = 0;
		while (System.nanoTime() < end) {
			// A rate that swings with a period of about a minute, so the panels show a shape, not a flat line.
			double phase = (System.nanoTime() % 60_000_000_000L) / 60_000_000_000.0 * 2 * Math.PI;
			long pauseMillis = (long) (40 + 160 * (1 + Math.sin(phase)) / 2);
			Thread.sleep(pauseMillis);
			int pick = random.nextInt(100);
			String path = (pick < 70) ? "/hello" : (pick < 82) ? "/deferred?delay=" + random.nextInt(5, 120)
					: (pick < 90) ? "/visits" : (pick < 96) ? "/no-such-page" : "/boom";
			try {
				client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path))
					.timeout(Duration.ofSeconds(20))
					.build(), HttpResponse.BodyHandlers.discarding());
			}
			catch (java.io.IOException ex) {
				// A connection closed under us (keep-alive limit): the next request opens another.
			}
			if (++sent % 25 == 0) {
				client = newClient();
			}
			if (sent % 150 == 0) {
				plainText();
			}
			if (sent % 120 == 0) {
				withoutHost();
			}
		}
	}

	private HttpClient newClient() {
		return HttpClient.newBuilder()
			.sslContext(this.tls)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	/** A request without {@code Host} over TLS: answered 400 and counted as a {@code bad-request} rejection. */
	private void withoutHost() throws Exception {
		try (Socket socket = this.tls.getSocketFactory().createSocket("localhost", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write("GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.getInputStream().readAllBytes();
		}
	}

	private void plainText() throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.getInputStream().readAllBytes();
		}
	}

}
