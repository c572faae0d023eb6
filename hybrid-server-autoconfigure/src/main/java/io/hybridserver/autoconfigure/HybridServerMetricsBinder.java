package io.hybridserver.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.netty.buffer.PooledByteBufAllocator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

import io.hybridserver.accesslog.AccessLog;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.metrics.AccessLogMeters;
import io.hybridserver.metrics.HybridServerMeters;
import io.hybridserver.metrics.QuicMeters;
import io.hybridserver.metrics.ResourceLookupMeters;
import io.hybridserver.metrics.SessionMeters;
import io.hybridserver.metrics.WebSocketMeters;
import io.hybridserver.servlet.resource.ResourceLookups;
import io.hybridserver.servlet.resource.StaticResources;
import io.hybridserver.servlet.session.SessionStore;
import io.hybridserver.websocket.WebSocketStats;

/**
 * Binds {@link HybridServerMeters} to the application's registry once it has started, as Boot does for Tomcat: by then
 * the web server exists and the registry is fully configured. With them: the session meters of a servlet application,
 * and Micrometer's own Netty binders for the server's allocator ({@code netty.allocator.*}, the pooled allocator every
 * connection uses) and its I/O event loops ({@code netty.eventexecutor.tasks.pending}, tagged with the loop's name).
 */
public class HybridServerMetricsBinder implements ApplicationListener<ApplicationStartedEvent> {

	private final ObjectProvider<MeterRegistry> registry;

	/**
	 * The binders, kept: Micrometer holds a function counter's (and by default a gauge's) state weakly, and the
	 * suppliers they read would otherwise be collected, leaving the meters at NaN or stuck after the first GC.
	 */
	private final List<MeterBinder> bound = new CopyOnWriteArrayList<>();

	public HybridServerMetricsBinder(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		ApplicationContext context = event.getApplicationContext();
		if (!(context instanceof WebServerApplicationContext webContext)) {
			return;
		}
		WebServer webServer = webContext.getWebServer();
		MeterRegistry meterRegistry = this.registry.getIfUnique();
		if (webServer instanceof HybridWebServer server && meterRegistry != null) {
			bind(new HybridServerMeters(server.getStats(), server::getDispatcher, server::getResponseQueueDepth,
					server::getResponseQueueCapacity, server::getActiveConnections, server::getAcceptedConnections,
					server::getRefusedConnections),
					meterRegistry);
			if (server.getSettings().getHttp3().isEnabled()) {
				bind(new QuicMeters(server.getHttp3Stats()), meterRegistry);
			}
			AccessLog accessLog = server.getAccessLog();
			if (accessLog != null) {
				bind(new AccessLogMeters(accessLog::droppedQueueFull, accessLog::droppedWriteFailed,
						accessLog::queueDepth), meterRegistry);
			}
			WebSocketStats webSocket = server.getWebSocketStats();
			if (webSocket != null) {
				bind(new WebSocketMeters(webSocket), meterRegistry);
			}
			SessionStore sessions = server.getSessions();
			if (sessions != null) {
				bind(new SessionMeters(new SessionSource(sessions)), meterRegistry);
			}
			bind(new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT), meterRegistry);
			bind(new NettyEventExecutorMetrics(server.getEventLoops()), meterRegistry);
			StaticResources resources = server.getStaticResources();
			if (resources != null) {
				Map<String, LongSupplier> lookups = new LinkedHashMap<>();
				for (ResourceLookups.Source source : ResourceLookups.Source.values()) {
					lookups.put(source.tag(), () -> resources.lookups().count(source));
				}
				bind(new ResourceLookupMeters(lookups, resources::cachedEntries, resources::indexedJars), meterRegistry);
			}
		}
	}

	/** The session store as the session meters read it; nothing is refused, as no limit on sessions exists. */
	private record SessionSource(SessionStore store) implements SessionMeters.Source {

		@Override
		public int active() {
			return this.store.size();
		}

		@Override
		public int mostActive() {
			return this.store.mostActive();
		}

		@Override
		public long longestLifeMillis() {
			return this.store.longestLifeMillis();
		}

		@Override
		public long created() {
			return this.store.createdCount();
		}

		@Override
		public long expired() {
			return this.store.endedCount();
		}

		@Override
		public long rejected() {
			return 0;
		}

	}

	private void bind(MeterBinder binder, MeterRegistry meterRegistry) {
		this.bound.add(binder);
		binder.bindTo(meterRegistry);
	}

}
