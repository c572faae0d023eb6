package io.hybridserver.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code https} profile: HTTPS with the development certificate, trusted by the client explicitly.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("https")
class SampleHttpsProfileTest {

	@LocalServerPort
	int port;

	@Test
	void servesHelloOverTls13WithTheDevelopmentCertificate() throws Exception {
		SSLContext trustDevCertificate = SslBundle
			.of(new PemSslStoreBundle(null, PemSslStoreDetails.forCertificate("classpath:dev-tls/dev-cert.pem")))
			.createSslContext();
		HttpClient client = HttpClient.newBuilder().sslContext(trustDevCertificate).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + "/hello")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("Hello");
		assertThat(response.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
	}

}
