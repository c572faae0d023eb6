package io.hybridserver.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.buffer.Unpooled;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.testsupport.Http3TestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * HTTP/3 beyond single requests: a client that opens more streams than allowed gets no more than the limit served at
 * once and the server goes on; graceful shutdown sends GOAWAY, finishes the stream in flight, then closes; with
 * reuse-port, connections are spread over one socket per event loop; and HTTP/3 without TLS (or reuse-port without a
 * native transport) stops startup naming the property.
 */
class Http3ServerLifecycleTest {

	private static final String[] TLS = { "server.port=0", "server.ssl.key-store=classpath:tls/server.p12",
			"server.ssl.key-store-password=secret", "server.ssl.key-alias=server", "server.hybrid.http3.enabled=true" };

	private static ConfigurableApplicationContext start(String... more) {
		return new SpringApplicationBuilder(ProtocolTestApplication.class).properties(TLS).properties(more).run();
	}

	private static HybridWebServer server(ConfigurableApplicationContext context) {
		return (HybridWebServer) ((WebServerApplicationContext) context).getWebServer();
	}

	@Test
	void streamsBeyondTheLimitAreNotServedAndTheServerGoesOn() throws Exception {
		try (ConfigurableApplicationContext context = start("server.hybrid.http3.max-streams=4")) {
			HybridWebServer server = server(context);
			int port = server.getPort();
			try (Http3TestClient client = Http3TestClient.connect(port)) {
				List<Http3TestClient.Response> held = new ArrayList<>();
				List<QuicStreamChannel> streams = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					Http3TestClient.Response response = new Http3TestClient.Response();
					streams.add(client.openHanging("/count", response));
					held.add(response);
				}
				await(() -> server.getStats().exchangesInFlight() == 4);
				// The limit is what QUIC told the client: no stream left to open while the four are held.
				assertThat(client.quic().peerAllowedStreams(QuicStreamType.BIDIRECTIONAL)).isZero();
				// A flood of further requests on the same connection: none reaches the application.
				List<Http3TestClient.Response> flood = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					try {
						flood.add(client.start("GET", "/hello", Map.of(), null));
					}
					catch (Exception refused) {
						// The client's codec may refuse to open a stream past the limit at once.
					}
				}
				Thread.sleep(500);
				assertThat(server.getStats().exchangesInFlight()).isEqualTo(4);
				assertThat(server.getStats().requests(HttpServerStats.H3, 2)).isZero();
				// The held requests end; each is answered.
				for (QuicStreamChannel stream : streams) {
					stream.writeAndFlush(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(new byte[] { 1, 2, 3 })))
						.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
				}
				for (Http3TestClient.Response response : held) {
					assertThat(response.done().get(30, TimeUnit.SECONDS).text()).startsWith("3 ");
				}
			}
			// The server survives: a new connection is served.
			try (Http3TestClient client = Http3TestClient.connect(port)) {
				assertThat(client.get("/hello").status()).isEqualTo(200);
			}
		}
	}

	@Test
	void gracefulShutdownSendsGoAwayFinishesTheStreamThenCloses() throws Exception {
		ConfigurableApplicationContext context = start("server.shutdown=graceful");
		Http3TestClient client = Http3TestClient.connect(server(context).getPort());
		try {
			ProtocolTestApplication.firstPartSeen = new CountDownLatch(1);
			Http3TestClient.Response response = client.start("GET", "/stream", Map.of(), null);
			assertThat(response.nextPart(20, TimeUnit.SECONDS)).isEqualTo("first;");
			Thread closer = new Thread(context::close, "closer");
			closer.start();
			Http3ClientConnectionHandler h3 = client.quic().pipeline().get(Http3ClientConnectionHandler.class);
			await(h3::isGoAwayReceived);
			// The stream in flight still ends well, then the server closes the connection.
			assertThat(response.done()).isNotDone();
			ProtocolTestApplication.firstPartSeen.countDown();
			assertThat(response.done().get(30, TimeUnit.SECONDS).text()).isEqualTo("first;second:true");
			assertThat(client.quic().closeFuture().await(20, TimeUnit.SECONDS)).isTrue();
			closer.join(30_000);
			assertThat(context.isActive()).isFalse();
		}
		finally {
			ProtocolTestApplication.firstPartSeen.countDown();
			client.close();
			context.close();
		}
	}

	@Test
	void connectionsPerAddressAreBounded() throws Exception {
		try (ConfigurableApplicationContext context = start("server.hybrid.max-connections-per-address=1")) {
			HybridWebServer server = server(context);
			try (Http3TestClient first = Http3TestClient.connect(server.getPort())) {
				assertThat(first.get("/hello").status()).isEqualTo(200);
				Http3TestClient second = Http3TestClient.connect(server.getPort());
				try {
					// The second from the same address is closed by the server, the first goes on.
					assertThat(second.quic().closeFuture().await(20, TimeUnit.SECONDS)).isTrue();
					assertThat(server.getHttp3Stats().connectionsRefused()).isEqualTo(1);
					assertThat(first.get("/hello").status()).isEqualTo(200);
				}
				finally {
					second.close();
				}
			}
			// Its place is given back when it closes.
			await(() -> server.getHttp3Stats().connectionsActive() == 0);
			try (Http3TestClient again = Http3TestClient.connect(server.getPort())) {
				assertThat(again.get("/hello").status()).isEqualTo(200);
			}
		}
	}

	@Test
	void reusePortSpreadsConnectionsOverOneSocketPerLoop() throws Exception {
		try (ConfigurableApplicationContext context = start("server.hybrid.http3.reuse-port=true",
				"server.hybrid.io-threads=4")) {
			HybridWebServer server = server(context);
			List<Http3TestClient> clients = new ArrayList<>();
			try {
				// Each client its own UDP port, so its own hash of addresses and ports in the kernel.
				for (int i = 0; i < 12; i++) {
					Http3TestClient client = Http3TestClient.connect(server.getPort());
					clients.add(client);
					assertThat(client.get("/hello").status()).isEqualTo(200);
				}
				List<Integer> bySocket = server.getHttp3ConnectionsBySocket();
				assertThat(bySocket).hasSize(4);
				assertThat(bySocket.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
				// Twelve connections on one of four sockets would be a chance of 4 in 4^12: they are spread.
				assertThat(bySocket.stream().filter((count) -> count > 0).count()).isGreaterThan(1);
				// Every connection still answers on its stream after the others came: packets found their socket.
				for (Http3TestClient client : clients) {
					assertThat(client.get("/hello").status()).isEqualTo(200);
				}
			}
			finally {
				clients.forEach(Http3TestClient::close);
			}
		}
	}

	@Test
	void reusePortWithoutANativeTransportStopsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(
				() -> start("server.hybrid.http3.reuse-port=true", "server.hybrid.transport=nio").close());
		FailureAnalysis analysis = new HybridServerFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.http3.reuse-port");
	}

	@Test
	void http3WithoutTlsStopsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(ProtocolTestApplication.class)
			.properties("server.port=0", "server.hybrid.http3.enabled=true")
			.run()
			.close());
		FailureAnalysis analysis = new HybridServerFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.http3.enabled=true needs TLS")
			.contains("server.ssl");
	}

	@Test
	void badHttp3SettingStopsStartupNamingTheProperty() {
		Throwable failure = catchThrowable(() -> start("server.hybrid.http3.max-udp-payload-size=100").close());
		FailureAnalysis analysis = new HybridServerFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("server.hybrid.http3.max-udp-payload-size");
	}

	private static void await(Supplier<Boolean> condition) throws InterruptedException {
		long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.get() && System.nanoTime() < until) {
			Thread.sleep(10);
		}
		assertThat(condition.get()).isTrue();
	}

}
