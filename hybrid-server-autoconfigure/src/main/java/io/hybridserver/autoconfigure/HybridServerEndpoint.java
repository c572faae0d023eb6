package io.hybridserver.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.context.ApplicationContext;

import io.hybridserver.accesslog.AccessLog;
import io.hybridserver.boot.HybridServerSettings;
import io.hybridserver.boot.HybridWebServer;
import io.hybridserver.dispatch.Dispatcher;
import io.hybridserver.http.HttpServerConfig;

/**
 * {@code /actuator/hybridserver}: what the running server is and the limits in effect, beside the live numbers an
 * operator checks first (connections, queue depths, busy workers). Exposed like any endpoint, through
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
		result.put("limits", limits(settings.getHttp()));
		result.put("http2", http2(settings));
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
		workers.put("max", settings.isVirtualThreads() ? null : settings.getWorkers());
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

	private static Map<String, Object> limits(HttpServerConfig http) {
		Map<String, Object> limits = new LinkedHashMap<>();
		limits.put("connectionTimeout", http.getConnectionTimeout().toString());
		limits.put("keepAliveTimeout", http.getKeepAliveTimeout().toString());
		limits.put("maxKeepAliveRequests", http.getMaxKeepAliveRequests());
		limits.put("maxPipelinedRequests", http.getMaxPipelinedRequests());
		limits.put("maxRequestLineLength", http.getMaxRequestLineLength());
		limits.put("maxHeaderSize", http.getMaxHeaderSize());
		limits.put("requestBodyBufferSize", http.getRequestBodyBufferSize());
		limits.put("responseBufferSize", http.getResponseHighWaterMark());
		limits.put("minRequestBodyRate", http.getMinRequestBodyRate());
		limits.put("retryAfter", http.getRetryAfter().toString());
		limits.put("allowTrace", http.isAllowTrace());
		return limits;
	}

	private static Map<String, Object> http2(HybridServerSettings settings) {
		Map<String, Object> http2 = new LinkedHashMap<>();
		http2.put("enabled", settings.getHttp2().isEnabled());
		http2.put("maxConcurrentStreams", settings.getHttp2().getMaxConcurrentStreams());
		http2.put("initialWindowSize", settings.getHttp2().getInitialWindowSize());
		http2.put("maxFrameSize", settings.getHttp2().getMaxFrameSize());
		return http2;
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
