package io.hybridserver.boot;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.HttpServerStats;
import io.hybridserver.servlet.resource.StaticResources;
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

	private volatile WebSocketStats webSocketStats;

	private final Object monitor = new Object();

	private final ServerTls tls;

	private volatile DispatchObserver observer = DispatchObserver.NONE;

	private volatile RunningServer running;

	private volatile GracefulShutdownInProgress graceful;

	private CountDownLatch stopped;

	/**
	 * @param settings the engine settings
	 * @param address the address to bind, or {@code null} for all
	 * @param port the port to bind, 0 for any free one
	 * @param handler the application tier
	 * @param onDestroy what ends the application tier when the server is destroyed
	 * @param shutdown immediate or graceful
	 * @param description what the server serves, for the startup log (for example "context path ''")
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
	 * @param description what the server serves, for the startup log (for example "context path ''")
	 * @throws io.hybridserver.tls.InvalidTlsConfigurationException if the TLS configuration cannot work
	 */
	public HybridWebServer(HybridServerSettings settings, InetAddress address, int port, TlsCredentials tls,
			ExchangeHandler handler, Runnable onDestroy, Shutdown shutdown, String description) {
		settings.validate();
		// Built here, not at start: a bad certificate or key alias fails while the application context starts.
		settings.getTls().setHttp2(settings.getHttp2().isEnabled());
		this.tls = (tls != null) ? new ServerTls(tls, settings.getTls()) : null;
		this.settings = settings;
		this.address = address;
		this.configuredPort = port;
		this.handler = handler;
		this.onDestroy = onDestroy;
		this.shutdown = (shutdown != null) ? shutdown : Shutdown.IMMEDIATE;
		this.description = description;
	}

	/** Sets who hears how TLS handshakes end (the metrics binder). Applies to connections accepted afterwards. */
	public void setTlsHandshakeListener(TlsHandshakeListener listener) {
		if (this.tls != null) {
			this.tls.setHandshakeListener(listener);
		}
	}

	/** What the WebSocket connections did (servlet applications with the Jakarta WebSocket API), for the metrics. */
	public void setWebSocketStats(WebSocketStats webSocketStats) {
		this.webSocketStats = webSocketStats;
	}

	/** The WebSocket counts, or {@code null} when this server has no WebSocket container. */
	public WebSocketStats getWebSocketStats() {
		return this.webSocketStats;
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
			if (this.configuredPort < 0) {
				// Spring Boot's convention: a negative port means the web server must not listen at all.
				logger.info("Hybrid server not started: server.port is negative");
				return;
			}
			// Before binding, on the starting thread: Netty's versions are read through its context class loader.
			NettyVersionCheck.warnIfOlderThanTested();
			InetSocketAddress bindAddress = (this.address != null)
					? new InetSocketAddress(this.address, this.configuredPort)
					: new InetSocketAddress(this.configuredPort);
			try {
				if (this.tls != null) {
					this.tls.start();
				}
				this.running = RunningServer.start(this.settings, bindAddress, this.handler, this.stats, this.observer,
						this.tls);
			}
			catch (Exception ex) {
				if (this.tls != null) {
					this.tls.stop();
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
			String scheme = (this.tls != null) ? "https, TLS by " + this.tls.engine().description() : "http";
			if (this.settings.getHttp2().isEnabled()) {
				scheme += (this.tls != null) ? ", HTTP/2 by ALPN" : ", HTTP/2 by prior knowledge";
			}
			logger.info("Hybrid server started on port " + server.port() + " (" + scheme + ") with "
					+ server.transport().displayName() + " transport, " + this.settings.getIoThreads()
					+ " I/O threads, " + workers + ", request queue " + dispatcher.queueCapacity()
					+ (this.description != null ? ", " + this.description : ""));
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
			if (this.tls != null) {
				this.tls.stop();
			}
		}
	}

	@Override
	public void destroy() {
		stop();
		if (this.tls != null) {
			// Also when the server never started: its contexts were built by the constructor.
			this.tls.stop();
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
		logger.info("Commencing graceful shutdown. Waiting for active requests to complete");
		GracefulShutdownInProgress inProgress = new GracefulShutdownInProgress(server, callback);
		this.graceful = inProgress;
		Thread thread = new Thread(inProgress, "hybrid-shutdown");
		thread.setDaemon(false);
		thread.start();
	}

	/** The counters of the HTTP layer, for metrics. */
	public HttpServerStats getStats() {
		return this.stats;
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

	/** Response queue depth of all event loops together (0 when stopped). */
	public int getResponseQueueDepth() {
		RunningServer server = this.running;
		return (server != null) ? server.responseQueues().depth() : 0;
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
