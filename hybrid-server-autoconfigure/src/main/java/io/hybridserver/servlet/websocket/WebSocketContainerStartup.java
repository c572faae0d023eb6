package io.hybridserver.servlet.websocket;

import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import io.hybridserver.servlet.ServletContextStartup;
import io.hybridserver.websocket.WebSocketSettings;
import io.hybridserver.websocket.WebSocketStats;

/**
 * Installs the WebSocket container in a servlet context, as Tomcat's {@code WsSci} does: the
 * {@link HybridServerContainer} as the {@code jakarta.websocket.server.ServerContainer} attribute, the
 * {@link WebSocketUpgradeFilter} on {@code /*}, and a listener that closes the open sessions with 1001 when the
 * context stops. Run it only when the Jakarta WebSocket API is on the class path.
 *
 * <p>Endpoint callbacks run on the container's own pool of worker threads (grown on demand, idle threads leave after
 * a minute): a session holds a thread only while one of its events runs.
 */
public final class WebSocketContainerStartup implements ServletContextStartup {

	private static final String FILTER_NAME = "hybridWebSocketUpgradeFilter";

	private final WebSocketSettings settings;

	private final WebSocketStats stats;

	/**
	 * @param stats where the connections count what they do, for the metrics
	 */
	public WebSocketContainerStartup(WebSocketSettings settings, WebSocketStats stats) {
		this.settings = settings;
		this.stats = stats;
	}

	@Override
	public void onStartup(ServletContext context) {
		if (context.getAttribute(HybridServerContainer.ATTRIBUTE) != null) {
			return;
		}
		HybridServerContainer container = new HybridServerContainer(this.settings, this.stats, newExecutor());
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

	private static ExecutorService newExecutor() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "hybrid-websocket-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
	}

}
