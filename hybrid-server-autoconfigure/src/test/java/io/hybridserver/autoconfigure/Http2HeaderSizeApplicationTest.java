package io.hybridserver.autoconfigure;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import io.hybridserver.apps.protocols.ProtocolTestApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.H2cClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code server.max-http-request-header-size} bounds HTTP/2 header lists too when
 * {@code server.hybrid.http2.max-header-list-size} is not set, as it does on Tomcat: a list over it is answered 431 on
 * its stream, counted as {@code headers-too-large}, and the connection goes on.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.http2.enabled=true", "server.max-http-request-header-size=4KB" })
class Http2HeaderSizeApplicationTest {

	@Autowired
	WebServerApplicationContext context;

	@Test
	void bootsHeaderSizeLimitAppliesToHttp2HeaderLists() throws Exception {
		HybridWebServer server = (HybridWebServer) this.context.getWebServer();
		try (H2cClient client = new H2cClient(server.getPort())) {
			// After a first exchange the server's SETTINGS, with the limit, are in force.
			assertThat(client.get("/hello?name=a").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
			H2cClient.Response under = client.send("GET", "/hello?name=b", Map.of("x-big", "v".repeat(3500)), null, true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(under.status()).isEqualTo(200);
			// 4,096 bytes allowed; this list is 4,300 + 32 + the pseudo-header fields.
			H2cClient.Response over = client.send("GET", "/hello?name=c", Map.of("x-big", "v".repeat(4300)), null, true)
				.response()
				.get(10, TimeUnit.SECONDS);
			assertThat(over.status()).isEqualTo(431);
			assertThat(client.get("/hello?name=d").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
		}
		assertThat(server.getStats().rejections(Rejection.HEADERS_TOO_LARGE)).isEqualTo(1);
	}

}
