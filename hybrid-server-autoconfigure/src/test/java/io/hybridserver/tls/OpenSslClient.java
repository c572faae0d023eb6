package io.hybridserver.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code openssl s_client} against a local port: the peer for what the JDK's client will not do (TLS 1.0/1.1).
 */
final class OpenSslClient {

	private OpenSslClient() {
	}

	record Result(int exitCode, String output) {
	}

	static Result connect(int port, String... options) throws IOException, InterruptedException {
		return send(port, null, options);
	}

	/**
	 * Connects, sends {@code input} (when not null) once the handshake is done, and reads until the server closes.
	 */
	static Result send(int port, String input, String... options) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
		command.addAll(List.of(options));
		if (input != null) {
			command.add("-ign_eof");
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		if (input != null) {
			process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
		}
		process.getOutputStream().close();
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new AssertionError("openssl s_client did not finish: " + command);
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Result(process.exitValue(), output);
	}

}
