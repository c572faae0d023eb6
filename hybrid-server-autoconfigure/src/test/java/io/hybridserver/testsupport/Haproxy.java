package io.hybridserver.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HAProxy from Debian's package in TCP mode, as the real-proxy tests run it: frontends on free loopback ports, each
 * passing its connections to one server (an address and HAProxy's options for it, such as {@code send-proxy-v2}), in a
 * configuration written to the test's directory and started as an {@link ExternalPeer}. A missing binary skips the
 * test, except on CI.
 */
public final class Haproxy implements AutoCloseable {

	private final String binary;

	private final Path dir;

	private final List<String> config = new ArrayList<>(List.of("global", "  maxconn 100", "defaults", "  mode tcp",
			"  timeout connect 5s", "  timeout client 30s", "  timeout server 30s"));

	private final List<Integer> ports = new ArrayList<>();

	private ExternalPeer peer;

	private Haproxy(String binary, Path dir) {
		this.binary = binary;
		this.dir = dir;
	}

	/** HAProxy with its configuration and log in {@code dir}; skips the calling test when it is not installed. */
	public static Haproxy in(Path dir) {
		return new Haproxy(ExternalPeer.require("haproxy"), dir);
	}

	/**
	 * Adds a frontend on a free port of 127.0.0.1 whose connections go to {@code server}, for example
	 * {@code 127.0.0.1:8080 send-proxy-v2} or {@code unix@/path/app.sock send-proxy-v2}.
	 * @return the frontend's port
	 */
	public int frontend(String name, String server) throws Exception {
		return frontend(name, "", server);
	}

	/** As {@link #frontend(String, String)}, with options for the frontend's bind line ({@code ssl crt file.pem}). */
	public int frontend(String name, String bindOptions, String server) throws Exception {
		int port = ExternalPeer.freePort();
		String bind = "  bind 127.0.0.1:" + port + (bindOptions.isEmpty() ? "" : " " + bindOptions);
		this.config.addAll(List.of("frontend " + name, bind, "  default_backend " + name + "_app",
				"backend " + name + "_app", "  server app " + server));
		this.ports.add(port);
		return port;
	}

	/** Writes the configuration and starts HAProxy; returns once every frontend accepts connections. */
	public Haproxy start() throws Exception {
		Path file = this.dir.resolve("haproxy.cfg");
		Files.writeString(file, String.join("\n", this.config) + "\n");
		this.peer = ExternalPeer.start("haproxy", this.dir, List.of(this.binary, "-db", "-f", file.toString()),
				this.ports.stream().mapToInt(Integer::intValue).toArray());
		return this;
	}

	/** What HAProxy printed so far, for failure messages. */
	public String output() {
		return (this.peer != null) ? this.peer.output() : "(not started)";
	}

	@Override
	public void close() throws InterruptedException {
		if (this.peer != null) {
			this.peer.close();
		}
	}

}
