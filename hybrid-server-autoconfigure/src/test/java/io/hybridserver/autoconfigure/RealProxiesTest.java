package io.hybridserver.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.hybridserver.apps.listeners.ListenersApplication;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.http.HttpServerStats.Rejection;
import io.hybridserver.testsupport.ExternalPeer;
import io.hybridserver.testsupport.Haproxy;
import io.hybridserver.testsupport.TestTls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real proxies from Debian's packages in front of a Spring MVC application: HAProxy sending PROXY v2 to a TCP
 * listener and to a Unix socket listener, and ending TLS with {@code send-proxy-v2-ssl} (the request is secure), nginx
 * proxying HTTP to a Unix socket listener. Clients connect from
 * 127.0.0.2, an address neither proxy has, so the application seeing it proves the original client address came
 * through. Skipped without the binaries, except on CI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealProxiesTest {

	private static final String CLIENT_ADDRESS = "127.0.0.2";

	private Path dir;

	private ConfigurableApplicationContext context;

	private Haproxy haproxy;

	private ExternalPeer nginx;

	private int haproxyToTcp;

	private int haproxyToUnix;

	private int haproxyTls;

	private int nginxPort;

	@BeforeAll
	void startApplicationAndProxies(@TempDir Path dir) throws Exception {
		this.dir = dir;
		this.haproxy = Haproxy.in(this.dir);
		String nginxBinary = ExternalPeer.require("nginx");
		Path proxiedSocket = this.dir.resolve("proxied.sock");
		Path plainSocket = this.dir.resolve("plain.sock");
		this.context = new SpringApplicationBuilder(ListenersApplication.class).properties("server.port=0",
				"server.address=127.0.0.1", "server.forward-headers-strategy=native",
				"server.hybrid.additional-listeners[0].name=haproxy-tcp",
				"server.hybrid.additional-listeners[0].port=0",
				"server.hybrid.additional-listeners[0].address=127.0.0.1",
				"server.hybrid.additional-listeners[0].proxy-protocol.mode=required",
				"server.hybrid.additional-listeners[0].proxy-protocol.trusted-sources=127.0.0.1/32",
				"server.hybrid.additional-listeners[1].name=haproxy-unix",
				"server.hybrid.additional-listeners[1].unix-socket=" + proxiedSocket,
				"server.hybrid.additional-listeners[1].proxy-protocol.mode=required",
				"server.hybrid.additional-listeners[2].name=nginx-unix",
				"server.hybrid.additional-listeners[2].unix-socket=" + plainSocket)
			.run();
		int appTcp = ((InetSocketAddress) server().getListenerAddresses().get("haproxy-tcp")).getPort();

		// HAProxy wants the certificate and its key in one file.
		Path certificate = this.dir.resolve("server-with-key.pem");
		Files.writeString(certificate, resource("/tls/server.pem") + resource("/tls/server.key"));
		this.haproxyToTcp = this.haproxy.frontend("to_tcp", "127.0.0.1:" + appTcp + " send-proxy-v2");
		this.haproxyToUnix = this.haproxy.frontend("to_unix", "unix@" + proxiedSocket + " send-proxy-v2");
		// TLS ends at HAProxy, which says so in the header (PP2_TYPE_SSL with PP2_CLIENT_SSL).
		this.haproxyTls = this.haproxy.frontend("tls", "ssl crt " + certificate,
				"127.0.0.1:" + appTcp + " send-proxy-v2-ssl");
		this.haproxy.start();

		this.nginxPort = ExternalPeer.freePort();
		Path nginxConfig = this.dir.resolve("nginx.conf");
		Files.writeString(nginxConfig, String.join("\n", "daemon off;", "master_process off;",
				"pid " + this.dir.resolve("nginx.pid") + ";", "error_log " + this.dir.resolve("nginx-error.log") + ";",
				"events { worker_connections 64; }", "http {", "  access_log off;",
				"  client_body_temp_path " + this.dir + "/body;", "  proxy_temp_path " + this.dir + "/proxy;",
				"  fastcgi_temp_path " + this.dir + "/fastcgi;", "  uwsgi_temp_path " + this.dir + "/uwsgi;",
				"  scgi_temp_path " + this.dir + "/scgi;", "  upstream app { server unix:" + plainSocket + "; }",
				"  server {", "    listen 127.0.0.1:" + this.nginxPort + ";", "    location / {",
				"      proxy_pass http://app;", "      proxy_http_version 1.1;",
				"      proxy_set_header Host $host:$server_port;",
				"      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
				"      proxy_set_header X-Forwarded-Proto $scheme;",
				"      proxy_set_header X-Forwarded-Port $server_port;", "    }", "  }", "}", ""));
		this.nginx = ExternalPeer.start("nginx", this.dir, List.of(nginxBinary, "-p", this.dir.toString(), "-e",
				this.dir.resolve("nginx-error.log").toString(), "-c", nginxConfig.toString()), this.nginxPort);
	}

	@AfterAll
	void stopAll() throws Exception {
		try {
			if (this.haproxy != null) {
				this.haproxy.close();
			}
			if (this.nginx != null) {
				this.nginx.close();
			}
		}
		finally {
			if (this.context != null) {
				this.context.close();
			}
		}
	}

	private static String resource(String name) throws IOException {
		try (InputStream in = RealProxiesTest.class.getResourceAsStream(name)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	private HybridWebServer server() {
		return (HybridWebServer) ((WebServerApplicationContext) this.context).getWebServer();
	}

	/** GET /where from 127.0.0.2; returns the client's own port and the response. */
	private static String[] where(int port) throws IOException {
		return where(CLIENT_ADDRESS, port);
	}

	private static String[] where(String from, int port) throws IOException {
		try (Socket socket = ExternalPeer.connectFrom(from, port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /where HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
			return new String[] { String.valueOf(socket.getLocalPort()), response };
		}
	}

	@Test
	void haproxySendingProxyV2OverTcpGivesTheOriginalClientAddress() throws Exception {
		String[] result = where(this.haproxyToTcp);
		assertThat(result[1]).as(this.haproxy.output())
			.startsWith("HTTP/1.1 200")
			.contains("remote=" + CLIENT_ADDRESS + " remotePort=" + result[0] + " ")
			// The header's destination: the address the client connected to, HAProxy's frontend.
			.contains(" local=127.0.0.1 localPort=" + this.haproxyToTcp + " ");
	}

	@Test
	void haproxyEndingTlsMakesTheRequestSecureByPp2ClientSsl() throws Exception {
		try (Socket plain = ExternalPeer.connectFrom(CLIENT_ADDRESS, this.haproxyTls)) {
			try (SSLSocket tls = (SSLSocket) TestTls.clientContext(null)
				.getSocketFactory()
				.createSocket(plain, "localhost", this.haproxyTls, true)) {
				tls.getOutputStream()
					.write(("GET /where HTTP/1.1\r\nHost: localhost:" + this.haproxyTls
							+ "\r\nConnection: close\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
				String response = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
				assertThat(response).as(this.haproxy.output())
					.startsWith("HTTP/1.1 200")
					.contains("remote=" + CLIENT_ADDRESS + " ")
					.contains(" serverPort=" + this.haproxyTls + " secure=true ")
					.contains(" proxySsl=true");
			}
		}
		// The same listener, reached by HAProxy's clear-text frontend: not secure.
		assertThat(where(this.haproxyToTcp)[1]).contains(" secure=false ").contains(" proxySsl=null");
	}

	@Test
	void haproxySendingProxyV2OverAUnixSocketGivesTheOriginalClientAddress() throws Exception {
		String[] result = where(this.haproxyToUnix);
		assertThat(result[1]).as(this.haproxy.output())
			.startsWith("HTTP/1.1 200")
			.contains("remote=" + CLIENT_ADDRESS + " remotePort=" + result[0] + " ")
			.contains(" localPort=" + this.haproxyToUnix + " ");
	}

	@Test
	void nginxProxyingToAUnixSocketGivesTheOriginalClientAddressByItsForwardingHeader() throws Exception {
		String[] result = where(this.nginxPort);
		// The Unix socket's peer is loopback, one of Boot's internal proxies, so X-Forwarded-For is believed.
		assertThat(result[1]).as(this.nginx.output())
			.startsWith("HTTP/1.1 200")
			.contains("remote=" + CLIENT_ADDRESS + " ")
			.contains(" serverPort=" + this.nginxPort + " ");
	}

	@Test
	void aClientBypassingHaproxyIsRefusedAndCounted() throws Exception {
		int appTcp = ((InetSocketAddress) server().getListenerAddresses().get("haproxy-tcp")).getPort();
		long missing = server().getStats().rejections(Rejection.PROXY_PROTOCOL);
		long untrusted = server().getStats().rejections(Rejection.PROXY_UNTRUSTED);
		// Without a header, from the trusted address: closed, nothing answered (a reset when the close finds the
		// request unread).
		String answer;
		try {
			answer = where("127.0.0.1", appTcp)[1];
		}
		catch (java.net.SocketException reset) {
			answer = "";
		}
		assertThat(answer).isEmpty();
		assertThat(server().getStats().rejections(Rejection.PROXY_PROTOCOL)).isEqualTo(missing + 1);
		// From an address outside the trusted sources, even with a well-formed header: refused before reading it.
		try (Socket socket = ExternalPeer.connectFrom(CLIENT_ADDRESS, appTcp)) {
			socket.getOutputStream()
				.write("PROXY TCP4 198.51.100.7 127.0.0.1 1234 80\r\nGET /where HTTP/1.1\r\nHost: x\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
		catch (java.net.SocketException reset) {
			// Closed before the client's bytes were all taken: also refused.
		}
		assertThat(server().getStats().rejections(Rejection.PROXY_UNTRUSTED)).isEqualTo(untrusted + 1);
	}

}
