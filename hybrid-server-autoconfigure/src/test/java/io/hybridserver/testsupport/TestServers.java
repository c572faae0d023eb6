package io.hybridserver.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.springframework.boot.web.server.Shutdown;

import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.Exchange;

/**
 * Starts engine-level servers (no servlet container: a plain {@link ExchangeHandler} as the application tier) on a
 * free loopback port, and small handlers to answer with.
 */
public final class TestServers {

	private TestServers() {
	}

	public static HybridWebServer start(ExchangeHandler handler, Consumer<HybridServerSettings> settings) {
		return start(handler, settings, Shutdown.IMMEDIATE);
	}

	public static HybridWebServer start(ExchangeHandler handler, Consumer<HybridServerSettings> settings,
			Shutdown shutdown) {
		HybridServerSettings serverSettings = new HybridServerSettings();
		serverSettings.setIoThreads(2);
		serverSettings.setWorkers(4);
		settings.accept(serverSettings);
		HybridWebServer server = new HybridWebServer(serverSettings, InetAddress.getLoopbackAddress(), 0, handler,
				() -> {
				}, shutdown, "test");
		server.start();
		return server;
	}

	/** Answers with a text body of known length. */
	public static void respond(Exchange exchange, int status, String text) throws IOException {
		byte[] body = text.getBytes(StandardCharsets.UTF_8);
		exchange.responseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		exchange.commit(status, body.length);
		exchange.write(body, 0, body.length);
		exchange.complete();
	}

	/** Reads the whole request body. */
	public static byte[] readBody(Exchange exchange) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int n;
		while ((n = exchange.requestBody().read(buffer, 0, buffer.length)) != -1) {
			out.write(buffer, 0, n);
		}
		return out.toByteArray();
	}

	/** Echoes the method, target and body. */
	public static void echo(Exchange exchange) throws IOException {
		byte[] body = readBody(exchange);
		respond(exchange, 200, exchange.method() + " " + exchange.target() + " "
				+ new String(body, StandardCharsets.UTF_8));
	}

}
