package io.hybridserver.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.context.ApplicationContext;

import io.hybridserver.accesslog.AccessLog;
import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.tls.ServedCertificate;

/**
 * {@code /actuator/hybridserver}: what the running server is and the limits in effect, beside the live numbers an
 * operator checks first (connections, queue depths, busy workers), and the certificates each TLS listener presents
 * (subject, names, expiry). The limits come from the settings objects' own {@code describe()}, so a new setting
 * appears here without anyone remembering to add it. Exposed like any endpoint, through
 * {@code management.endpoints.web.exposure.include}. Reads the application's own server, not the management port's.
 */
@Endpoint(id = "hybridserver")
public class HybridServerEndpoint {

	private final ApplicationContext context;

	public HybridServerEndpoint(ApplicationContext context) {
		this.context = context;
	}

	@ReadOperation
	public Map<String, Object> server() {
		HybridWebServer server = ApplicationServerLookup.find(this.context);
		Map<String, Object> result = new LinkedHashMap<>();
		if (server == null) {
			result.put("running", false);
			return result;
		}
		HybridServerSettings settings = server.getSettings();
		result.put("running", server.getPort() >= 0);
		result.put("listener", listener(server, settings));
		result.put("transport", transport(server, settings));
		result.put("workers", workers(server, settings));
		result.put("queues", queues(server));
		result.put("connections", connections(server, settings));
		result.put("limits", settings.getHttp().describe());
		result.put("http2", settings.getHttp2().describe());
		result.put("certificates", certificates(server));
		result.put("accessLog", accessLog(server));
		return result;
	}

	private static Map<String, Object> listener(HybridWebServer server, HybridServerSettings settings) {
		Map<String, Object> listener = new LinkedHashMap<>();
		listener.put("port", server.getPort());
		listener.put("address", (server.getAddress() != null) ? server.getAddress().getHostAddress() : "*");
		String tls = server.getTlsDescription();
		listener.put("scheme", (tls != null) ? "https" : "http");
		listener.put("tlsProvider", tls);
		listener.put("http2", settings.getHttp2().isEnabled());
		return listener;
	}

	private static Map<String, Object> transport(HybridWebServer server, HybridServerSettings settings) {
		Map<String, Object> transport = new LinkedHashMap<>();
		transport.put("configured", settings.getTransport().name().toLowerCase(Locale.ROOT));
		transport.put("running", server.getTransportName());
		transport.put("ioThreads", settings.getIoThreads());
		return transport;
	}

	private static Map<String, Object> workers(HybridWebServer server, HybridServerSettings settings) {
		Map<String, Object> workers = new LinkedHashMap<>();
		workers.put("kind", settings.isHandlersOnEventLoop() ? "event-loop"
				: settings.isVirtualThreads() ? "virtual-threads" : "platform-threads");
		Dispatcher dispatcher = server.getDispatcher();
		boolean platform = !settings.isVirtualThreads() && !settings.isHandlersOnEventLoop();
		workers.put("max", settings.isVirtualThreads() ? null : settings.getWorkers());
		workers.put("minSpare", platform ? Math.min(settings.getMinSpareWorkers(), settings.getWorkers()) : null);
		workers.put("idleTimeout", platform ? settings.getWorkerIdleTimeout().toString() : null);
		workers.put("current", (dispatcher != null) ? dispatcher.currentWorkers() : 0);
		workers.put("busy", (dispatcher != null) ? dispatcher.busyWorkers() : 0);
		return workers;
	}

	private static Map<String, Object> queues(HybridWebServer server) {
		Dispatcher dispatcher = server.getDispatcher();
		Map<String, Object> queues = new LinkedHashMap<>();
		queues.put("request", queue((dispatcher != null) ? dispatcher.queueDepth() : 0,
				(dispatcher != null) ? dispatcher.queueCapacity() : server.getSettings().getRequestQueueCapacity()));
		queues.put("response", queue(server.getResponseQueueDepth(), server.getResponseQueueCapacity()));
		AccessLog accessLog = server.getAccessLog();
		if (accessLog != null) {
			queues.put("accessLog", queue(accessLog.queueDepth(), accessLog.settings().getQueueCapacity()));
		}
		return queues;
	}

	private static Map<String, Object> queue(int depth, int capacity) {
		Map<String, Object> queue = new LinkedHashMap<>();
		queue.put("depth", depth);
		queue.put("capacity", capacity);
		return queue;
	}

	private static Map<String, Object> connections(HybridWebServer server, HybridServerSettings settings) {
		Map<String, Object> connections = new LinkedHashMap<>();
		connections.put("active", server.getActiveConnections());
		connections.put("accepted", server.getAcceptedConnections());
		connections.put("max", settings.getMaxConnections());
		connections.put("maxPerAddress", settings.getMaxConnectionsPerAddress());
		return connections;
	}

	/** Each TLS listener's certificates, by listener name, with the days left so that an expiry stands out. */
	private static Map<String, Object> certificates(HybridWebServer server) {
		Map<String, Object> certificates = new LinkedHashMap<>();
		Instant now = Instant.now();
		server.getCertificates().forEach((listener, served) -> {
			List<Map<String, Object>> described = new ArrayList<>();
			for (ServedCertificate certificate : served) {
				Map<String, Object> one = new LinkedHashMap<>();
				one.put("serverName", certificate.serverName());
				one.put("bundle", certificate.bundle());
				one.put("subject", certificate.subject());
				one.put("issuer", certificate.issuer());
				one.put("subjectAlternativeNames", certificate.subjectAlternativeNames());
				one.put("notBefore", certificate.notBefore().toString());
				one.put("notAfter", certificate.notAfter().toString());
				one.put("daysLeft", Duration.between(now, certificate.notAfter()).toDays());
				described.add(one);
			}
			certificates.put(listener, described);
		});
		return certificates;
	}

	private static Map<String, Object> accessLog(HybridWebServer server) {
		Map<String, Object> accessLog = new LinkedHashMap<>();
		AccessLog log = server.getAccessLog();
		accessLog.put("enabled", log != null);
		if (log != null) {
			accessLog.put("output", log.settings().getOutput().name().toLowerCase(Locale.ROOT));
			accessLog.put("pattern", log.settings().getPattern());
			accessLog.put("droppedLines", log.droppedQueueFull() + log.droppedWriteFailed());
		}
		return accessLog;
	}

}
