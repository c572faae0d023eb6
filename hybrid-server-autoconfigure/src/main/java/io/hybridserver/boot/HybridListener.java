package io.hybridserver.boot;

import java.net.InetAddress;
import java.nio.file.Path;

import io.hybridserver.transport.ProtocolDetectionSettings;
import io.hybridserver.transport.ProxyProtocolSettings;

/**
 * One more place the server accepts connections, beside the primary port ({@code server.port}): a TCP port or a Unix
 * domain socket, in clear text or TLS with its own SSL bundle, optionally behind the PROXY protocol, or a listener
 * that only redirects to HTTPS. Every listener shares the server's event loops, request queue and workers. Added with
 * {@link ConfigurableHybridWebServerFactory#addListeners} or {@code server.hybrid.additional-listeners[n].*}.
 */
public final class HybridListener {

	private String name;

	private int port = -1;

	private InetAddress address;

	private Path unixSocket;

	private String unixSocketPermissions;

	private boolean ssl;

	private String sslBundle;

	private ProxyProtocolSettings proxyProtocol = ProxyProtocolSettings.OFF;

	private boolean redirectToHttps;

	private ProtocolDetectionSettings protocolDetection = ProtocolDetectionSettings.OFF;

	/** A TCP listener on {@code port} (0 for one the OS chooses). */
	public static HybridListener tcp(int port) {
		HybridListener listener = new HybridListener();
		listener.setPort(port);
		return listener;
	}

	/** A Unix domain socket listener at {@code path}. */
	public static HybridListener unixSocket(Path path) {
		HybridListener listener = new HybridListener();
		listener.setUnixSocket(path);
		return listener;
	}

	/** The name in logs and in {@link HybridWebServer#getListenerAddresses()}; defaults to {@code listener-N}. */
	public String getName() {
		return this.name;
	}

	public HybridListener setName(String name) {
		this.name = name;
		return this;
	}

	/** The TCP port, 0 for any free one; -1 for none (a Unix socket listener). */
	public int getPort() {
		return this.port;
	}

	public HybridListener setPort(int port) {
		this.port = port;
		return this;
	}

	/** The address to bind the TCP port to, or {@code null} for all. */
	public InetAddress getAddress() {
		return this.address;
	}

	public HybridListener setAddress(InetAddress address) {
		this.address = address;
		return this;
	}

	/** The Unix domain socket's file, or {@code null} for a TCP listener. */
	public Path getUnixSocket() {
		return this.unixSocket;
	}

	public HybridListener setUnixSocket(Path unixSocket) {
		this.unixSocket = unixSocket;
		return this;
	}

	/** The socket file's permissions ({@code rw-rw----} or {@code 660}), or {@code null} for the umask's. */
	public String getUnixSocketPermissions() {
		return this.unixSocketPermissions;
	}

	public HybridListener setUnixSocketPermissions(String unixSocketPermissions) {
		this.unixSocketPermissions = unixSocketPermissions;
		return this;
	}

	/** Whether the listener serves TLS. */
	public boolean isSsl() {
		return this.ssl;
	}

	public HybridListener setSsl(boolean ssl) {
		this.ssl = ssl;
		return this;
	}

	/**
	 * The SSL bundle ({@code spring.ssl.bundle.*}) of a TLS listener; {@code null} for the primary port's TLS
	 * ({@code server.ssl.*}). Setting it turns TLS on.
	 */
	public String getSslBundle() {
		return this.sslBundle;
	}

	public HybridListener setSslBundle(String sslBundle) {
		this.sslBundle = sslBundle;
		if (sslBundle != null) {
			this.ssl = true;
		}
		return this;
	}

	/** How the listener treats the PROXY protocol. */
	public ProxyProtocolSettings getProxyProtocol() {
		return this.proxyProtocol;
	}

	public HybridListener setProxyProtocol(ProxyProtocolSettings proxyProtocol) {
		this.proxyProtocol = (proxyProtocol != null) ? proxyProtocol : ProxyProtocolSettings.OFF;
		return this;
	}

	/** Whether the listener answers every request with a redirect to the same path on the HTTPS port. */
	public boolean isRedirectToHttps() {
		return this.redirectToHttps;
	}

	public HybridListener setRedirectToHttps(boolean redirectToHttps) {
		this.redirectToHttps = redirectToHttps;
		return this;
	}

	/**
	 * Whether a TLS listener also serves clear text, HTTP/1.1 and h2c, on its port, told apart by each connection's
	 * first bytes; off by default, when clear-text HTTP on a TLS port gets a {@code 400}.
	 */
	public ProtocolDetectionSettings getProtocolDetection() {
		return this.protocolDetection;
	}

	public HybridListener setProtocolDetection(ProtocolDetectionSettings protocolDetection) {
		this.protocolDetection = (protocolDetection != null) ? protocolDetection : ProtocolDetectionSettings.OFF;
		return this;
	}

	/**
	 * Checks that the listener can work.
	 * @param property how the user configured it, for the message ({@code server.hybrid.additional-listeners[0]})
	 * @throws InvalidServerSettingsException naming what to change
	 */
	public void validate(String property) {
		if ((this.unixSocket == null) == (this.port < 0)) {
			throw new InvalidServerSettingsException(property + " needs exactly one of port and unix-socket"
					+ ((this.unixSocket == null) ? ", and has neither" : ", and has both"));
		}
		if (this.port > 65535) {
			throw new InvalidServerSettingsException(property + ".port must be 0-65535, was " + this.port);
		}
		if (this.unixSocket != null && this.address != null) {
			throw new InvalidServerSettingsException(property + ".address applies to a TCP port only; remove it or "
					+ "the unix-socket");
		}
		if (this.unixSocket == null && this.unixSocketPermissions != null) {
			throw new InvalidServerSettingsException(property + ".unix-socket-permissions needs a unix-socket");
		}
		if (this.protocolDetection.enabled() && !this.ssl) {
			throw new InvalidServerSettingsException(property + ".protocol-detection chooses between TLS and clear "
					+ "text, and this listener has no TLS: turn on its ssl (or name its ssl-bundle), or turn "
					+ "protocol-detection off (a clear-text listener serves HTTP/1.1 and h2c already)");
		}
		if (this.redirectToHttps && this.ssl) {
			throw new InvalidServerSettingsException(property + " cannot both serve TLS and redirect to HTTPS: "
					+ "turn off ssl or redirect-to-https");
		}
	}

	/** How the startup log names it: {@code port 8080} or {@code unix socket /run/app.sock}. */
	String describeEndpoint() {
		return (this.unixSocket != null) ? "unix socket " + this.unixSocket.toAbsolutePath() : "port " + this.port;
	}

}
