package io.hybridserver.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real peer program (HAProxy, nginx, ngtcp2's HTTP/3 client) that a test starts from its Debian package's binary: found on the usual paths,
 * started with its output in a file, waited for until it accepts on its port, and stopped for sure. A missing binary
 * skips the test, except on CI (the {@code CI} environment variable set), where {@code .ci/run} installs it and its
 * absence is a failure.
 */
public final class ExternalPeer implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path log;

	private ExternalPeer(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	/** The binary's path; skips the calling test when missing, fails it on CI. */
	public static String require(String binary) {
		return require(binary, binary);
	}

	/**
	 * The binary's path, from the Debian package {@code debianPackage} (when its name is not the binary's); skips the
	 * calling test when missing, fails it on CI.
	 */
	public static String require(String binary, String debianPackage) {
		for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin")) {
			File candidate = new File(dir, binary);
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		String message = binary + " is not installed (apt-get install -y " + debianPackage + ")";
		if (System.getenv("CI") != null) {
			throw new AssertionError(message + "; on CI .ci/run installs it");
		}
		Assumptions.abort(message);
		return null;
	}

	/** A free TCP port on the loopback address, as the OS chooses it. */
	public static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A socket to a peer's {@code port} on 127.0.0.1 from {@code localAddress} (another loopback address, such as
	 * 127.0.0.2, which no proxy has: an application that sees it learnt the client's address through the proxy), with
	 * reads that give up after 10 s.
	 */
	public static Socket connectFrom(String localAddress, int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.bind(new InetSocketAddress(localAddress, 0));
			socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			socket.setSoTimeout(10_000);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Starts {@code command} in {@code dir}, its output in {@code dir/name.log}, and waits until it accepts connections
	 * on every one of {@code ports} of 127.0.0.1.
	 */
	public static ExternalPeer start(String name, Path dir, List<String> command, int... ports) throws Exception {
		Path log = dir.resolve(name + ".log");
		Process process = new ProcessBuilder(command).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		ExternalPeer peer = new ExternalPeer(name, process, log);
		try {
			for (int port : ports) {
				peer.awaitListening(port);
			}
		}
		catch (Exception | AssertionError ex) {
			peer.close();
			throw ex;
		}
		return peer;
	}

	private void awaitListening(int port) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (true) {
			if (!this.process.isAlive()) {
				throw new AssertionError(this.name + " exited with " + this.process.exitValue() + ": " + output());
			}
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					throw new AssertionError(this.name + " does not listen on " + port + ": " + output(), ex);
				}
				Thread.sleep(50);
			}
		}
	}

	/** What the program printed so far, for failure messages. */
	public String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

	/** Stops the program: politely, then by force; waits for it to be gone. */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			this.process.waitFor(5, TimeUnit.SECONDS);
		}
	}

}
