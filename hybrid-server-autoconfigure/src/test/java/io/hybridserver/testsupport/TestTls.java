package io.hybridserver.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.Shutdown;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.tls.TlsCredentials;
import io.netty.handler.ssl.ClientAuth;

/**
 * The test TLS material under {@code src/test/resources/tls} (made by its {@code make-certs.sh}) as Spring bundles and
 * JDK client contexts, and engine-level TLS servers.
 */
public final class TestTls {

	/** Serial numbers the certificates were made with. */
	public static final long SERVER_SERIAL = 0x1001;

	public static final long RENEWED_SERIAL = 0x1002;

	public static final long ALT_SERIAL = 0x1003;

	private TestTls() {
	}

	/** A PEM bundle of {@code name.pem} and {@code name.key}, trusting the test CA (for client certificates). */
	public static SslBundle bundle(String name) {
		return bundle(name, SslOptions.NONE);
	}

	public static SslBundle bundle(String name, SslOptions options) {
		PemSslStoreDetails key = PemSslStoreDetails.forCertificate("classpath:tls/" + name + ".pem")
			.withPrivateKey("classpath:tls/" + name + ".key");
		PemSslStoreDetails trust = PemSslStoreDetails.forCertificate("classpath:tls/ca.pem");
		return SslBundle.of(new PemSslStoreBundle(key, trust), SslBundleKey.NONE, options);
	}

	/** A client context that trusts the test CA and, unless {@code clientCertificate} is null, shows that certificate. */
	public static SSLContext clientContext(String clientCertificate) {
		PemSslStoreDetails trust = PemSslStoreDetails.forCertificate("classpath:tls/ca.pem");
		PemSslStoreDetails key = (clientCertificate != null)
				? PemSslStoreDetails.forCertificate("classpath:tls/" + clientCertificate + ".pem")
					.withPrivateKey("classpath:tls/" + clientCertificate + ".key")
				: null;
		return SslBundle.of(new PemSslStoreBundle(key, trust)).createSslContext();
	}

	/** A JDK client trusting the test CA, limited to the given protocol versions (all its defaults when none). */
	public static HttpClient httpClient(SSLContext context, String... protocols) {
		HttpClient.Builder builder = HttpClient.newBuilder()
			.sslContext(context)
			.connectTimeout(Duration.ofSeconds(10))
			.version(HttpClient.Version.HTTP_1_1);
		if (protocols.length > 0) {
			SSLParameters parameters = new SSLParameters();
			parameters.setProtocols(protocols);
			builder.sslParameters(parameters);
		}
		return builder.build();
	}

	public static HttpResponse<String> get(HttpClient client, int port, String path)
			throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
			.timeout(Duration.ofSeconds(20))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The serial number of the certificate a server presents, asked with SNI {@code serverName} (none when null). */
	public static X509Certificate presentedCertificate(int port, String serverName) throws IOException {
		SSLContext context = clientContext(null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
			.createSocket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			SSLParameters parameters = socket.getSSLParameters();
			parameters.setServerNames((serverName != null) ? List.of(new SNIHostName(serverName)) : List.of());
			socket.setSSLParameters(parameters);
			socket.startHandshake();
			X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			// Say goodbye properly so the server sees a clean close, not a reset.
			OutputStream out = socket.getOutputStream();
			out.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			in.readAllBytes();
			return certificate;
		}
	}

	/** Starts an engine-level TLS server serving {@code credentials} with {@code handler}. */
	public static HybridWebServer start(TlsCredentials credentials, ExchangeHandler handler,
			Consumer<HybridServerSettings> settings) {
		HybridServerSettings serverSettings = new HybridServerSettings();
		serverSettings.setIoThreads(2);
		serverSettings.setWorkers(4);
		settings.accept(serverSettings);
		HybridWebServer server = new HybridWebServer(serverSettings, InetAddress.getLoopbackAddress(), 0, credentials,
				handler, () -> {
				}, Shutdown.IMMEDIATE, "tls test");
		server.start();
		return server;
	}

	/** Credentials for the {@code server} certificate with the given client authentication. */
	public static TlsCredentials credentials(ClientAuth clientAuth) {
		return TlsCredentials.of(bundle("server"), null, clientAuth, null);
	}

}
