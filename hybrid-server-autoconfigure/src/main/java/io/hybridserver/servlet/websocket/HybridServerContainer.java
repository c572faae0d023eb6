package io.hybridserver.servlet.websocket;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import io.hybridserver.websocket.PerMessageDeflate;
import io.hybridserver.websocket.WebSocketSettings;
import io.hybridserver.websocket.WebSocketStats;
import io.hybridserver.websocket.WebSocketWorkers;

/**
 * The Jakarta WebSocket {@link ServerContainer}: the endpoints deployed (programmatic {@link ServerEndpointConfig}s
 * and annotated {@link ServerEndpoint} classes), the defaults new sessions start with, and the open sessions. Found
 * by applications as the {@code ServletContext} attribute {@code jakarta.websocket.server.ServerContainer}.
 *
 * <p>Upgrades come two ways: {@link WebSocketUpgradeFilter} for a request whose path matches a deployed endpoint, and
 * {@link #upgradeHttpToWebSocket} for a framework that decided itself (Spring's
 * {@code StandardWebSocketUpgradeStrategy}). This is a server container only: {@code connectToServer} throws.
 */
public final class HybridServerContainer implements ServerContainer {

	/** The attribute name applications and frameworks look the container up by. */
	public static final String ATTRIBUTE = ServerContainer.class.getName();

	private final WebSocketSettings settings;

	private final WebSocketWorkers workers;

	private final Runnable stopWorkers;

	private final WebSocketStats stats;

	private final OpeningHandshake handshake = new OpeningHandshake(this);

	private final List<Deployed> endpoints = new ArrayList<>();

	private volatile List<Deployed> matchOrder = List.of();

	private final Set<HybridSession> sessions = ConcurrentHashMap.newKeySet();

	private final AtomicInteger sessionCount = new AtomicInteger();

	private volatile long defaultAsyncSendTimeout;

	private volatile long defaultMaxSessionIdleTimeout;

	private volatile int defaultMaxBinaryMessageBufferSize;

	private volatile int defaultMaxTextMessageBufferSize;

	/**
	 * @param stats what the sessions' connections count, for the metrics
	 * @param workers the threads endpoint callbacks run on, shared by all the container's sessions
	 * @param stopWorkers runs when the container stops, after its sessions were told to close
	 */
	public HybridServerContainer(WebSocketSettings settings, WebSocketStats stats, WebSocketWorkers workers,
			Runnable stopWorkers) {
		this.settings = settings;
		this.stats = stats;
		this.workers = workers;
		this.stopWorkers = stopWorkers;
		this.defaultAsyncSendTimeout = settings.sendTimeout().toMillis();
		this.defaultMaxSessionIdleTimeout = settings.idleTimeout().toMillis();
		int messageSize = (int) Math.min(Integer.MAX_VALUE, settings.maxMessageSize());
		this.defaultMaxBinaryMessageBufferSize = messageSize;
		this.defaultMaxTextMessageBufferSize = messageSize;
	}

	// ---- deployment

	@Override
	public void addEndpoint(Class<?> endpointClass) throws DeploymentException {
		ServerEndpoint annotation = endpointClass.getAnnotation(ServerEndpoint.class);
		if (annotation == null) {
			throw new DeploymentException(endpointClass.getName() + " is not annotated with @ServerEndpoint");
		}
		ServerEndpointConfig.Configurator configurator = null;
		if (annotation.configurator() != ServerEndpointConfig.Configurator.class) {
			try {
				configurator = annotation.configurator().getConstructor().newInstance();
			}
			catch (ReflectiveOperationException ex) {
				throw new DeploymentException("Cannot create the configurator of " + endpointClass.getName(), ex);
			}
		}
		ServerEndpointConfig config = ServerEndpointConfig.Builder.create(endpointClass, annotation.value())
			.subprotocols(List.of(annotation.subprotocols()))
			.encoders(List.of(annotation.encoders()))
			.decoders(List.of(annotation.decoders()))
			.configurator(configurator)
			.build();
		addEndpoint(config);
	}

	@Override
	public synchronized void addEndpoint(ServerEndpointConfig config) throws DeploymentException {
		PathTemplate template;
		try {
			template = new PathTemplate(config.getPath());
		}
		catch (IllegalArgumentException ex) {
			throw new DeploymentException(ex.getMessage());
		}
		AnnotatedEndpointMethods methods = null;
		if (!Endpoint.class.isAssignableFrom(config.getEndpointClass())) {
			methods = AnnotatedEndpointMethods.of(config.getEndpointClass());
		}
		for (Deployed existing : this.endpoints) {
			if (existing.template().path().equals(template.path())) {
				throw new DeploymentException("Two WebSocket endpoints share the path " + template.path());
			}
		}
		this.endpoints.add(new Deployed(template, config, methods));
		List<PathTemplate> order = PathTemplate.ordered(this.endpoints.stream().map(Deployed::template).toList());
		List<Deployed> sorted = new ArrayList<>();
		for (PathTemplate t : order) {
			for (Deployed d : this.endpoints) {
				if (d.template() == t) {
					sorted.add(d);
				}
			}
		}
		this.matchOrder = List.copyOf(sorted);
	}

	/** An endpoint as deployed, with the introspected methods of an annotated one. */
	record Deployed(PathTemplate template, ServerEndpointConfig config, AnnotatedEndpointMethods methods) {
	}

	/** A deployed endpoint matched by a request path, with the path parameters' values. */
	record Match(Deployed endpoint, Map<String, String> pathParameters) {
	}

	boolean hasEndpoints() {
		return !this.matchOrder.isEmpty();
	}

	Match match(String path) {
		for (Deployed deployed : this.matchOrder) {
			Map<String, String> values = deployed.template().match(path);
			if (values != null) {
				return new Match(deployed, values);
			}
		}
		return null;
	}

	/** The introspection of an annotated class, for configurations that were not deployed here (Spring's). */
	AnnotatedEndpointMethods methodsOf(ServerEndpointConfig config) throws DeploymentException {
		for (Deployed deployed : this.matchOrder) {
			if (deployed.config() == config) {
				return deployed.methods();
			}
		}
		return Endpoint.class.isAssignableFrom(config.getEndpointClass()) ? null
				: AnnotatedEndpointMethods.of(config.getEndpointClass());
	}

	// ---- the upgrade

	@Override
	public void upgradeHttpToWebSocket(Object httpServletRequest, Object httpServletResponse,
			ServerEndpointConfig sec, Map<String, String> pathParameters) throws IOException, DeploymentException {
		this.handshake.upgrade((HttpServletRequest) httpServletRequest, (HttpServletResponse) httpServletResponse, sec,
				pathParameters);
	}

	// ---- sessions

	WebSocketSettings settings() {
		return this.settings;
	}

	WebSocketStats stats() {
		return this.stats;
	}

	WebSocketWorkers workers() {
		return this.workers;
	}

	/** Takes a place for a new session, unless the limit is reached. */
	boolean reserveSession() {
		int max = this.settings.maxSessions();
		while (true) {
			int now = this.sessionCount.get();
			if (max > 0 && now >= max) {
				return false;
			}
			if (this.sessionCount.compareAndSet(now, now + 1)) {
				return true;
			}
		}
	}

	void releaseSession() {
		this.sessionCount.decrementAndGet();
	}

	void opened(HybridSession session) {
		this.sessions.add(session);
	}

	void closed(HybridSession session) {
		this.sessions.remove(session);
	}

	/** The open sessions of one endpoint configuration. */
	Set<Session> openSessions(ServerEndpointConfig config) {
		Set<Session> result = new HashSet<>();
		for (HybridSession session : this.sessions) {
			if (session.config() == config && session.isOpen()) {
				result.add(session);
			}
		}
		return Collections.unmodifiableSet(result);
	}

	/** Number of sessions open now (for metrics). */
	public int sessionCount() {
		return this.sessionCount.get();
	}

	/** The server is stopping: every session is closed with 1001 (going away), then the workers stop. */
	public void stop() {
		for (HybridSession session : this.sessions) {
			session.goAway();
		}
		this.stopWorkers.run();
	}

	// ---- defaults (WebSocketContainer)

	@Override
	public long getDefaultAsyncSendTimeout() {
		return this.defaultAsyncSendTimeout;
	}

	@Override
	public void setAsyncSendTimeout(long timeoutmillis) {
		this.defaultAsyncSendTimeout = timeoutmillis;
	}

	@Override
	public long getDefaultMaxSessionIdleTimeout() {
		return this.defaultMaxSessionIdleTimeout;
	}

	@Override
	public void setDefaultMaxSessionIdleTimeout(long timeout) {
		this.defaultMaxSessionIdleTimeout = timeout;
	}

	@Override
	public int getDefaultMaxBinaryMessageBufferSize() {
		return this.defaultMaxBinaryMessageBufferSize;
	}

	@Override
	public void setDefaultMaxBinaryMessageBufferSize(int max) {
		this.defaultMaxBinaryMessageBufferSize = max;
	}

	@Override
	public int getDefaultMaxTextMessageBufferSize() {
		return this.defaultMaxTextMessageBufferSize;
	}

	@Override
	public void setDefaultMaxTextMessageBufferSize(int max) {
		this.defaultMaxTextMessageBufferSize = max;
	}

	/** Per-message deflate (RFC 7692), as Tomcat offers it by default. */
	@Override
	public Set<Extension> getInstalledExtensions() {
		return Set.of(new NamedExtension(PerMessageDeflate.NAME));
	}

	// ---- no client

	@Override
	public Session connectToServer(Object annotatedEndpointInstance, URI path) throws DeploymentException {
		throw noClient();
	}

	@Override
	public Session connectToServer(Class<?> annotatedEndpointClass, URI path) throws DeploymentException {
		throw noClient();
	}

	@Override
	public Session connectToServer(Endpoint endpointInstance, ClientEndpointConfig cec, URI path)
			throws DeploymentException {
		throw noClient();
	}

	@Override
	public Session connectToServer(Class<? extends Endpoint> endpointClass, ClientEndpointConfig cec, URI path)
			throws DeploymentException {
		throw noClient();
	}

	private static DeploymentException noClient() {
		return new DeploymentException("The hybrid server's WebSocket container is a server container; use a "
				+ "WebSocket client library (or the JDK's java.net.http.WebSocket) to connect to servers");
	}

}
