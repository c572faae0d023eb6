package io.hybridserver.servlet.websocket;

import java.util.EnumSet;
import java.util.concurrent.ExecutorService;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import io.hybridserver.servlet.ServletContextStartup;
import io.hybridserver.websocket.WebSocketSettings;
import io.hybridserver.websocket.WebSocketStats;
import io.hybridserver.websocket.WebSocketWorkers;
import io.hybridserver.websocket.WorkerHandOff;

/**
 * Installs the WebSocket container in a servlet context, as Tomcat's {@code WsSci} does: the
 * {@link HybridServerContainer} as the {@code jakarta.websocket.server.ServerContainer} attribute, the
 * {@link WebSocketUpgradeFilter} on {@code /*}, and a listener that closes the open sessions with 1001 when the
 * context stops. Run it only when the Jakarta WebSocket API is on the class path.
 *
 * <p>Endpoint callbacks run on the server's workers when the server hands them in ({@link WorkerHandOff}: its
 * dispatch tier, platform or virtual threads), else on a pool of the container's own (threads
 * {@code hybrid-websocket-N}, grown on demand, idle ones leave after a minute). Either way a session holds a thread
 * only while one of its events runs.
 */
public final class WebSocketContainerStartup implements ServletContextStartup {

	private static final String FILTER_NAME = "hybridWebSocketUpgradeFilter";

	private final WebSocketSettings settings;

	private final WebSocketStats stats;

	private final WorkerHandOff workers;

	/**
	 * Endpoint callbacks on a pool of the container's own.
	 * @param stats where the connections count what they do, for the metrics
	 */
	public WebSocketContainerStartup(WebSocketSettings settings, WebSocketStats stats) {
		this(settings, stats, null);
	}

	/**
	 * @param stats where the connections count what they do, for the metrics
	 * @param workers the server's workers, where endpoint callbacks run (null: a pool of the container's own)
	 */
	public WebSocketContainerStartup(WebSocketSettings settings, WebSocketStats stats, WorkerHandOff workers) {
		this.settings = settings;
		this.stats = stats;
		this.workers = workers;
	}

	@Override
	public void onStartup(ServletContext context) {
		if (context.getAttribute(HybridServerContainer.ATTRIBUTE) != null) {
			return;
		}
		HybridServerContainer container;
		if (this.workers != null) {
			container = new HybridServerContainer(this.settings, this.stats, new WebSocketWorkers(this.workers), () -> {
			});
		}
		else {
			ExecutorService pool = WebSocketWorkers.newOwnPool();
			container = new HybridServerContainer(this.settings, this.stats, WebSocketWorkers.of(pool), pool::shutdown);
		}
		context.setAttribute(HybridServerContainer.ATTRIBUTE, container);
		FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, new WebSocketUpgradeFilter(container));
		filter.setAsyncSupported(true);
		filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
		context.addListener(new ServletContextListener() {

			@Override
			public void contextDestroyed(ServletContextEvent event) {
				container.stop();
			}

		});
	}

}
