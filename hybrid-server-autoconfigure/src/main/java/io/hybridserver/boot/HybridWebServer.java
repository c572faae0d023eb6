package io.hybridserver.boot;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.netty.util.concurrent.EventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

import io.hybridserver.accesslog.AccessLog;
import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.dispatch.ResponseQueues;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.http.h3.Http3Config;
import io.hybridserver.http.h3.Http3Listener;
import io.hybridserver.http.h3.Http3Stats;
import io.hybridserver.servlet.resource.StaticResources;
import io.hybridserver.servlet.session.SessionStore;
import io.hybridserver.tls.QuicTls;
import io.hybridserver.tls.ServedCertificate;
import io.hybridserver.tls.ServerTls;
import io.hybridserver.tls.TlsCredentials;
import io.hybridserver.tls.TlsHandshakeListener;
import io.hybridserver.transport.NettyVersionCheck;
import io.hybridserver.websocket.WebSocketStats;

/**
 * The hybrid server as Spring Boot sees it. {@link #start()} binds the port and starts the loops and workers;
 * {@link #stop()} releases them and may be followed by another start; {@link #destroy()} also ends the application
 * tier (the servlet container).
 */
public class HybridWebServer implements WebServer {

	private static final Log logger = LogFactory.getLog(HybridWebServer.class);

	private static final long STOP_TIMEOUT_MILLIS = 5_000;

	private final HybridServerSettings settings;

	private final InetAddress address;

	private final int configuredPort;

	private final ExchangeHandler handler;

	private final Runnable onDestroy;

	private final Shutdown shutdown;

	private final String description;

	private final HttpServerStats stats = new HttpServerStats();

	private volatile Supplier<StaticResources> staticResources;

	private volatile Supplier<SessionStore> sessions;

	private volatile StartStep beforeListening = () -> {
	};

	private volatile String contextPath;

	private volatile WebSocketStats webSocketStats;

	private final Object monitor = new Object();

	private final ServerTls tls;

	/**
	 * The QUIC listener's TLS (the primary port's credentials, reloaded with them), or {@code null} when HTTP/3 is off.
	 */
	private final QuicTls http3Tls;

	private final Http3Stats http3Stats = new Http3Stats();

	private volatile DispatchObserver observer = DispatchObserver.NONE;

	/** The listeners beside the primary port, in the order they were added. */
	private final List<ListenerSetup> additionalListeners = new ArrayList<>();


	private volatile RunningServer running;

	private volatile GracefulShutdownInProgress graceful;

	/** Set when a graceful shutdown begins, cleared by the next start: the server accepts nothing new meanwhile. */
	private volatile boolean draining;

	private final AccessLog accessLog;

	private CountDownLatch stopped;

	/**
	 * @param settings the engine settings
	 * @param address the address to bind, or {@code null} for all
	 * @param port the port to bind, 0 for any free one
	 * @param handler the application tier
	 * @param onDestroy what ends the application tier when the server is destroyed
	 * @param shutdown immediate or graceful
	 * @param description what the server serves, for the startup log (for example "WebFlux"), or {@code null}
	 */
	public HybridWebServer(HybridServerSettings settings, InetAddress address, int port, ExchangeHandler handler,
			Runnable onDestroy, Shutdown shutdown, String description) {
		this(settings, address, port, null, handler, onDestroy, shutdown, description);
	}

	/**
	 * @param settings the engine settings
	 * @param address the address to bind, or {@code null} for all
	 * @param port the port to bind, 0 for any free one
	 * @param tls what the port serves over TLS, or {@code null} for plaintext HTTP
	 * @param handler the application tier
	 * @param onDestroy what ends the application tier when the server is destroyed
	 * @param shutdown immediate or graceful
	 * @param description what the server serves, for the startup log (for example "WebFlux"), or {@code null}
	 * @throws io.hybridserver.tls.InvalidTlsConfigurationException if the TLS configuration cannot work
	 */
	public HybridWebServer(HybridServerSettings settings, InetAddress address, int port, TlsCredentials tls,
			ExchangeHandler handler, Runnable onDestroy, Shutdown shutdown, String description) {
		settings.validate();
		// Built here, not at start: a bad certificate or key alias fails while the application context starts.
		settings.getTls().setHttp2(settings.getHttp2().isEnabled());
		if (settings.getProtocolDetection().enabled() && tls == null) {
			throw new InvalidServerSettingsException("server.hybrid.protocol-detection chooses between TLS and clear "
					+ "text, and the primary port has no TLS: configure server.ssl, or turn protocol-detection off "
					+ "(a clear-text port serves HTTP/1.1 and h2c already)");
		}
		this.tls = (tls != null) ? new ServerTls(tls, settings.getTls()) : null;
		this.http3Tls = settings.getHttp3().isEnabled() ? new QuicTls(http3Credentials(tls),
				settings.getHttp3().isEarlyData(), Http3Listener.applicationProtocols()) : null;
		this.settings = settings;
		this.address = address;
		this.configuredPort = port;
		this.handler = handler;
		this.onDestroy = onDestroy;
		this.shutdown = (shutdown != null) ? shutdown : Shutdown.IMMEDIATE;
		this.description = description;
		this.accessLog = settings.getAccessLog().isEnabled() ? new AccessLog(settings.getAccessLog()) : null;
		this.stats.setCompletionListener(this.accessLog);
	}

	/**
	 * HTTP/3 needs what the TLS port serves, and QUIC's native library: without either, startup stops here, saying
	 * what to change, rather than leaving an Alt-Svc that points nowhere.
	 */
	private static TlsCredentials http3Credentials(TlsCredentials tls) {
		if (tls == null) {
			throw new InvalidServerSettingsException("server.hybrid.http3.enabled=true needs TLS on the server port: "
					+ "QUIC always encrypts, with the TLS port's certificate. Configure server.ssl (a key store, PEM "
					+ "certificate, or server.ssl.bundle), or set server.hybrid.http3.enabled=false.");
		}
		if (!Http3Listener.isAvailable()) {
			Throwable cause = Http3Listener.unavailabilityCause();
			throw new InvalidServerSettingsException("server.hybrid.http3.enabled=true, but QUIC's native library does "
					+ "not load here (" + cause + "). Add io.netty:netty-codec-native-quic with this platform's "
					+ "classifier, of the same version as the other Netty jars (the starter brings it), or set "
					+ "server.hybrid.http3.enabled=false.");
		}
		return tls;
	}

	/** What the QUIC listener counts (connections, handshakes, Retry); zeros while HTTP/3 is off. */
	public Http3Stats getHttp3Stats() {
		return this.http3Stats;
	}

	/**
	 * Open QUIC connections per UDP socket of the HTTP/3 listener (one socket, or one per event loop with
	 * {@code server.hybrid.http3.reuse-port}); empty while HTTP/3 is off or the server is stopped.
	 */
	public List<Integer> getHttp3ConnectionsBySocket() {
		RunningServer server = this.running;
		return (server != null && server.http3() != null) ? server.http3().connectionsBySocket() : List.of();
	}

	/** Sets who hears how TLS handshakes end (the metrics binder). Applies to connections accepted afterwards. */
	public void setTlsHandshakeListener(TlsHandshakeListener listener) {
		for (ServerTls each : allTls()) {
			each.setHandshakeListener(listener);
		}
	}

	/**
	 * Sets what the application tier does in {@link #start()} before the port is bound: the servlet container's
	 * load-on-startup servlets, which Spring Boot expects to be initialised once the application context is ready.
	 * A failure there fails {@code start()} with a {@link WebServerException}, as on Tomcat.
	 */
	public void setBeforeListening(StartStep beforeListening) {
		this.beforeListening = Objects.requireNonNull(beforeListening, "beforeListening");
	}

	/**
	 * Sets the servlet context path, which the startup line names in Spring Boot's words ("with context path
	 * '/api'", {@code '/'} for the root); unset for WebFlux.
	 */
	public void setContextPath(String contextPath) {
		this.contextPath = contextPath;
	}

	/** A step of {@link #start()} that may fail. */
	@FunctionalInterface
	public interface StartStep {

		void run() throws Exception;

	}

	/**
	 * Adds a listener beside the primary port; it binds at the next start.
	 * @param listener where and how it listens
	 * @param tls what it serves over TLS, or {@code null} for clear text
	 * @throws InvalidServerSettingsException if the listener cannot work
	 * @throws io.hybridserver.tls.InvalidTlsConfigurationException if its TLS configuration cannot work
	 */
	public void addListener(HybridListener listener, TlsCredentials tls) {
		String name = (listener.getName() != null && !listener.getName().isBlank()) ? listener.getName()
				: "listener-" + (this.additionalListeners.size() + 1);
		String property = "listener '" + name + "'";
		listener.validate(property);
		if (listener.isSsl() && tls == null) {
			throw new InvalidServerSettingsException(property + " has ssl on but no TLS credentials: set its "
					+ "ssl-bundle, or configure server.ssl for it to share");
		}
		if (RunningServer.PRIMARY.equals(name)
				|| this.additionalListeners.stream().anyMatch((other) -> other.name().equals(name))) {
			throw new InvalidServerSettingsException("Two listeners are named '" + name + "'; give each its own name");
		}
		ServerTls listenerTls = (tls != null) ? new ServerTls(tls, this.settings.getTls()) : null;
		this.additionalListeners.add(new ListenerSetup(listener, name, listenerTls));
	}

	/**
	 * The certificates each TLS listener presents, by listener name ({@code primary} for {@code server.port}), in the
	 * order the listeners are configured; clear-text listeners are not listed.
	 */
	public Map<String, List<ServedCertificate>> getCertificates() {
		Map<String, List<ServedCertificate>> certificates = new LinkedHashMap<>();
		if (this.tls != null) {
			certificates.put(RunningServer.PRIMARY, this.tls.certificates());
		}
		for (ListenerSetup setup : this.additionalListeners) {
			if (setup.tls() != null) {
				certificates.put(setup.name(), setup.tls().certificates());
			}
		}
		return Collections.unmodifiableMap(certificates);
	}

	/** The primary port's TLS and every TLS listener's. */
	private List<ServerTls> allTls() {
		List<ServerTls> all = new ArrayList<>();
		if (this.tls != null) {
			all.add(this.tls);
		}
		for (ListenerSetup setup : this.additionalListeners) {
			if (setup.tls() != null) {
				all.add(setup.tls());
			}
		}
		return all;
	}

	/**
	 * Where each listener is bound while the server runs, by name, the primary ({@code "primary"}) first: an
	 * {@link InetSocketAddress}, or the socket file's address for a Unix socket. Empty when stopped.
	 */
	public Map<String, SocketAddress> getListenerAddresses() {
		RunningServer server = this.running;
		if (server == null) {
			return Map.of();
		}
		Map<String, SocketAddress> addresses = new LinkedHashMap<>();
		for (BoundListener listener : server.listeners()) {
			addresses.put(listener.name(), listener.address());
		}
		return Collections.unmodifiableMap(addresses);
	}

	/** What the WebSocket connections did (Jakarta WebSocket in servlet applications, or WebFlux), for the metrics. */
	public void setWebSocketStats(WebSocketStats webSocketStats) {
		this.webSocketStats = webSocketStats;
	}

	/** The WebSocket counts, or {@code null} when this server has no WebSocket container. */
	public WebSocketStats getWebSocketStats() {
		return this.webSocketStats;
	}

	/** Sets where the servlet application's sessions are (for their metrics); unset for WebFlux. */
	public void setSessions(Supplier<SessionStore> sessions) {
		this.sessions = sessions;
	}

	/** The servlet application's sessions, for the session meters; {@code null} for a WebFlux application. */
	public SessionStore getSessions() {
		Supplier<SessionStore> supplier = this.sessions;
		return (supplier != null) ? supplier.get() : null;
	}

	/** Sets where the servlet container's static resources are (for their metrics); unset for WebFlux. */
	public void setStaticResources(Supplier<StaticResources> staticResources) {
		this.staticResources = staticResources;
	}

	/** The servlet container's static resources, or {@code null} when this server runs no servlet container. */
	public StaticResources getStaticResources() {
		Supplier<StaticResources> supplier = this.staticResources;
		return (supplier != null) ? supplier.get() : null;
	}

	/** Sets who hears about request-queue hand-offs (the metrics binder). Takes effect at the next start. */
	public void setDispatchObserver(DispatchObserver observer) {
		this.observer = (observer != null) ? observer : DispatchObserver.NONE;
	}

	@Override
	public void start() throws WebServerException {
		synchronized (this.monitor) {
			if (this.running != null) {
				return;
			}
			this.draining = false;
			if (this.configuredPort < 0) {
				// Spring Boot's convention: a negative port means the web server must not listen at all.
				logger.info("Hybrid server not started: server.port is negative");
				return;
			}
			try {
				this.beforeListening.run();
			}
			catch (Exception ex) {
				throw new WebServerException("Unable to start the hybrid server: " + ex.getMessage(), ex);
			}
			// Before binding, on the starting thread: Netty's versions are read through its context class loader.
			NettyVersionCheck.warnIfOlderThanTested();
			InetSocketAddress bindAddress = (this.address != null)
					? new InetSocketAddress(this.address, this.configuredPort)
					: new InetSocketAddress(this.configuredPort);
			if (this.accessLog != null) {
				// Before the port opens, so that the first request has a line; on this thread, so that a directory
				// that cannot be written fails startup.
				try {
					this.accessLog.start();
				}
				catch (UncheckedIOException ex) {
					throw new InvalidServerSettingsException(ex.getMessage(), ex);
				}
			}
			try {
				for (ServerTls each : allTls()) {
					each.start();
				}
				this.running = RunningServer.start(this.settings, bindAddress, this.handler, this.stats, this.observer,
						this.tls, this.settings.getProxyProtocol(), List.copyOf(this.additionalListeners),
						(this.http3Tls != null) ? new Http3Setup(this.http3Tls, this.http3Stats) : null);
			}
			catch (Exception ex) {
				for (ServerTls each : allTls()) {
					each.stop();
				}
				if (this.accessLog != null) {
					this.accessLog.stop();
				}
				if (ex instanceof ListenerBindException listener) {
					if (listener.port() >= 0 && isAddressInUse(ex)) {
						throw new PortInUseException(listener.port(), ex);
					}
					throw new WebServerException("Unable to start the hybrid server: " + ex.getMessage(), ex);
				}
				if (isAddressInUse(ex)) {
					throw new PortInUseException(this.configuredPort, ex);
				}
				throw new WebServerException("Unable to start the hybrid server: " + ex.getMessage(), ex);
			}
			RunningServer server = this.running;
			keepJvmAlive(server.port());
			Dispatcher dispatcher = server.dispatcher();
			String workers = this.settings.isHandlersOnEventLoop() ? "handlers on the event loops"
					: this.settings.isVirtualThreads() ? "virtual-thread workers" : dispatcher.maxWorkers() + " workers";
			List<BoundListener> listeners = server.listeners();
			String path = this.contextPath;
			String contextPathPart = (path != null)
					? " with context path '" + (path.isEmpty() ? "/" : path) + "' and" : " with";
			logger.info("Hybrid server started on port " + server.port() + " (" + listeners.get(0).description()
					+ ")" + contextPathPart + " " + server.transport().displayName() + " transport, "
					+ this.settings.getIoThreads()
					+ " I/O threads, " + workers + ", request queue " + dispatcher.queueCapacity()
					+ (this.description != null ? ", " + this.description : ""));
			for (BoundListener listener : listeners.subList(1, listeners.size())) {
				String where = (listener.socketFile() != null) ? "unix socket " + listener.socketFile().path()
						: "port " + listener.port();
				logger.info("Hybrid server listener '" + listener.name() + "' started on " + where + " ("
						+ listener.description() + ")");
			}
			if (server.http3Port() >= 0) {
				Http3Config http3 = this.settings.getHttp3();
				int sockets = server.http3().sockets();
				logger.info("Hybrid server HTTP/3 started on UDP port " + server.http3Port() + " (QUIC, Retry address "
						+ "validation, 0-RTT " + (http3.isEarlyData() ? "on" : "off") + ", " + http3.getMaxStreams()
						+ " streams per connection" + ((sockets > 1) ? ", " + sockets + " sockets by SO_REUSEPORT" : "")
						+ "), advertised by Alt-Svc on TLS responses");
			}
		}
	}

	/**
	 * Holds one non-daemon thread while the server runs, as Tomcat's and Reactor Netty's servers do: the event loops
	 * are daemon threads, and with handlers on the loops or on virtual threads nothing else would keep the JVM of an
	 * application whose main method has returned from exiting at once.
	 */
	private void keepJvmAlive(int port) {
		CountDownLatch latch = new CountDownLatch(1);
		this.stopped = latch;
		Thread await = new Thread(() -> {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "hybrid-server-await-" + port);
		await.setDaemon(false);
		await.start();
	}

	/** The JDK says BindException; native transports say EADDRINUSE in an IOException of their own. */
	private static boolean isAddressInUse(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException
					|| (cause.getMessage() != null && cause.getMessage().contains("Address already in use"))) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void stop() throws WebServerException {
		synchronized (this.monitor) {
			RunningServer server = this.running;
			if (server == null) {
				return;
			}
			GracefulShutdownInProgress inProgress = this.graceful;
			if (inProgress != null) {
				inProgress.abort();
			}
			this.running = null;
			server.stop(STOP_TIMEOUT_MILLIS);
			if (this.stopped != null) {
				this.stopped.countDown();
				this.stopped = null;
			}
			for (ServerTls each : allTls()) {
				each.stop();
			}
			if (this.accessLog != null) {
				// After the loops have stopped (and graceful shutdown drained before that): every line is queued.
				this.accessLog.stop();
			}
		}
	}

	@Override
	public void destroy() {
		stop();
		// Also when the server never started: its contexts were built by the constructor.
		for (ServerTls each : allTls()) {
			each.stop();
		}
		this.onDestroy.run();
	}

	@Override
	public int getPort() {
		RunningServer server = this.running;
		return (server != null) ? server.port() : -1;
	}

	@Override
	public void shutDownGracefully(GracefulShutdownCallback callback) {
		RunningServer server = this.running;
		if (this.shutdown != Shutdown.GRACEFUL || server == null) {
			callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
			return;
		}
		this.draining = true;
		logger.info("Commencing graceful shutdown. Waiting for active requests to complete");
		GracefulShutdownInProgress inProgress = new GracefulShutdownInProgress(server, callback);
		this.graceful = inProgress;
		Thread thread = new Thread(inProgress, "hybrid-shutdown");
		thread.setDaemon(false);
		thread.start();
	}

	/** How many sockets accept for the named listener (more than one with reuse-port); 0 when stopped. */
	int acceptorCount(String listener) {
		RunningServer server = this.running;
		if (server == null) {
			return 0;
		}
		return server.listeners().stream().filter((bound) -> bound.name().equals(listener))
			.mapToInt((bound) -> bound.channels().size()).sum();
	}

	/** The counters of the HTTP layer, for metrics. */
	public HttpServerStats getStats() {
		return this.stats;
	}

	/** The engine settings this server was built with (read-only use: changing them has no effect once built). */
	public HybridServerSettings getSettings() {
		return this.settings;
	}

	/** The transport the event loops run on, as the startup line names it, or {@code null} when stopped. */
	public String getTransportName() {
		RunningServer server = this.running;
		return (server != null) ? server.transport().displayName() : null;
	}

	/** The TLS engine serving the port (for example BoringSSL), or {@code null} for plaintext HTTP. */
	public String getTlsDescription() {
		return (this.tls != null) ? this.tls.engine().description() : null;
	}

	/** The address the port is bound to, or {@code null} for all addresses. */
	public InetAddress getAddress() {
		return this.address;
	}

	/** The access log, or {@code null} when it is off. */
	public AccessLog getAccessLog() {
		return this.accessLog;
	}

	/**
	 * Whether the server is running but draining: a graceful shutdown has begun, so it accepts no new connections and
	 * only finishes the exchanges it has (true until it stops; the health contributor reports it OUT_OF_SERVICE).
	 */
	public boolean isDraining() {
		return this.draining && this.running != null;
	}

	/** The running dispatcher, or {@code null} when stopped. */
	public Dispatcher getDispatcher() {
		RunningServer server = this.running;
		return (server != null) ? server.dispatcher() : null;
	}

	/**
	 * Runs a continuation of an exchange already accepted on the running dispatcher's workers (see
	 * {@link Dispatcher#execute}); on the calling thread when the server is not running, so that cleanup still happens.
	 */
	public void executeContinuation(Runnable task) {
		Dispatcher dispatcher = getDispatcher();
		if (dispatcher != null) {
			dispatcher.execute(task);
		}
		else {
			task.run();
		}
	}

	/** The running server's I/O event loops (none when stopped), for Micrometer's event executor meters. */
	public Iterable<EventExecutor> getEventLoops() {
		RunningServer server = this.running;
		return (server != null) ? server.loops() : List.of();
	}

	/** Response queue depth of all event loops together (0 when stopped). */
	public int getResponseQueueDepth() {
		RunningServer server = this.running;
		return (server != null) ? server.responseQueues().depth() : 0;
	}

	/**
	 * The running server's response queues (the hand-off from workers to event loops), or {@code null} when stopped:
	 * their counts of tasks and drains say how many hand-offs a response costs.
	 */
	public ResponseQueues getResponseQueues() {
		RunningServer server = this.running;
		return (server != null) ? server.responseQueues() : null;
	}

	/** Bound of the response queues of all event loops together. */
	public int getResponseQueueCapacity() {
		return this.settings.getResponseQueueCapacity() * this.settings.getIoThreads();
	}

	/** Connections open now (0 when stopped). */
	public int getActiveConnections() {
		RunningServer server = this.running;
		return (server != null) ? server.connections().activeConnections() : 0;
	}

	/** Connections accepted since the last start (0 when stopped). */
	public long getAcceptedConnections() {
		RunningServer server = this.running;
		return (server != null) ? server.connections().acceptedConnections() : 0;
	}

	/** Connections refused since the last start because their client address had too many open (0 when stopped). */
	public long getRefusedConnections() {
		RunningServer server = this.running;
		return (server != null) ? server.connections().refusedConnections() : 0;
	}

	/** Graceful shutdown: stop accepting, close idle connections, wait for in-flight exchanges. */
	private final class GracefulShutdownInProgress implements Runnable {

		private final RunningServer server;

		private final GracefulShutdownCallback callback;

		private volatile boolean aborted;

		GracefulShutdownInProgress(RunningServer server, GracefulShutdownCallback callback) {
			this.server = server;
			this.callback = callback;
		}

		void abort() {
			this.aborted = true;
		}

		@Override
		public void run() {
			try {
				this.server.stopAccepting();
				this.server.closeConnectionsGracefully();
				// Idle connections closed above; busy ones close themselves after their last response.
				while (!this.aborted && this.server.isBusy()) {
					TimeUnit.MILLISECONDS.sleep(20);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.aborted = true;
			}
			finally {
				HybridWebServer.this.graceful = null;
			}
			if (this.aborted) {
				logger.info("Graceful shutdown aborted with one or more requests still active");
				this.callback.shutdownComplete(GracefulShutdownResult.REQUESTS_ACTIVE);
			}
			else {
				logger.info("Graceful shutdown complete");
				this.callback.shutdownComplete(GracefulShutdownResult.IDLE);
			}
		}

	}

}
