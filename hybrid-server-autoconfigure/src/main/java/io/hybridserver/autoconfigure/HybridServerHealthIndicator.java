package io.hybridserver.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;

import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.Dispatcher;

/**
 * The {@code hybridServer} health contributor: {@code OUT_OF_SERVICE} while the server drains at a graceful shutdown
 * (so a load balancer polling health stops sending before the port closes), {@code UP} while it runs, and
 * {@code UNKNOWN} when it is not running (never started, or stopped), which leaves the application's overall status
 * to the other contributors.
 *
 * <p>Saturation is shown in the details, not as {@code DOWN}: a full request queue or the connection limit is a
 * passing state the server handles itself (503 with {@code Retry-After}, a paused accept), and a health check that
 * took saturated instances out of rotation would push their load onto the others and saturate those in turn.
 */
public class HybridServerHealthIndicator implements HealthIndicator {

	private final ApplicationContext context;

	public HybridServerHealthIndicator(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public Health health() {
		HybridWebServer server = ApplicationServerLookup.find(this.context);
		if (server == null || server.getPort() < 0) {
			return Health.unknown().withDetail("state", "stopped").build();
		}
		Health.Builder health = server.isDraining() ? Health.outOfService().withDetail("state", "draining")
				: Health.up().withDetail("state", "running");
		Dispatcher dispatcher = server.getDispatcher();
		int depth = (dispatcher != null) ? dispatcher.queueDepth() : 0;
		int capacity = (dispatcher != null) ? dispatcher.queueCapacity()
				: server.getSettings().getRequestQueueCapacity();
		int active = server.getActiveConnections();
		int max = server.getSettings().getMaxConnections();
		health.withDetail("requestQueue", pair("depth", depth, "capacity", capacity));
		health.withDetail("connections", pair("active", active, "max", max));
		health.withDetail("requestQueueFull", capacity > 0 && depth >= capacity);
		// max-connections of 0 or less means no limit, so the limit cannot be reached.
		health.withDetail("connectionLimitReached", max > 0 && active >= max);
		return health.build();
	}

	private static Map<String, Object> pair(String firstName, int first, String secondName, int second) {
		Map<String, Object> pair = new LinkedHashMap<>();
		pair.put(firstName, first);
		pair.put(secondName, second);
		return pair;
	}

}
