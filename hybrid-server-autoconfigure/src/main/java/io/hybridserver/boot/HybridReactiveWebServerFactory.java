package io.hybridserver.boot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.reactive.AbstractReactiveWebServerFactory;
import org.springframework.http.server.reactive.HttpHandler;

import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.ResponseCompression;
import io.hybridserver.reactive.ReactiveHttpHandlerAdapter;
import io.hybridserver.reactive.websocket.ReactiveWebSocketSessions;
import io.hybridserver.tls.TlsCredentials;
import io.hybridserver.tls.TlsHandshakeListener;
import io.hybridserver.websocket.WebSocketSettings;
import io.hybridserver.websocket.WebSocketStats;
import io.hybridserver.websocket.WebSocketWorkers;

/**
 * The reactive {@code WebServerFactory} of the hybrid server: what Spring Boot asks for when a WebFlux application
 * starts. The application's {@link HttpHandler} is served by a {@link ReactiveHttpHandlerAdapter} on the same I/O tier,
 * queues, TLS, limits and metrics as a servlet application; {@link #setDispatchMode} chooses whether handlers run on
 * workers (the default) or on the event loops, and {@link #setWebSocketDispatchMode} the same for WebSocket sessions.
 */
public class HybridReactiveWebServerFactory extends AbstractReactiveWebServerFactory
		implements ConfigurableHybridWebServerFactory {

	private final HybridServerSettings serverSettings = new HybridServerSettings();

	private final List<HybridServerCustomizer> serverCustomizers = new ArrayList<>();

	private DispatchObserver dispatchObserver = DispatchObserver.NONE;

	private TlsHandshakeListener tlsHandshakeListener = TlsHandshakeListener.NONE;

	private final List<HybridListener> listeners = new ArrayList<>();

	private ReactiveDispatchMode dispatchMode = ReactiveDispatchMode.WORKERS;

	/** Where WebSocket sessions run; null: where the {@code HttpHandler} runs. */
	private ReactiveDispatchMode webSocketDispatchMode;

	private WebSocketSettings webSocket = WebSocketSettings.DEFAULTS;

	public HybridReactiveWebServerFactory() {
	}

	public HybridReactiveWebServerFactory(int port) {
		super(port);
	}

	@Override
	public HybridServerSettings getServerSettings() {
		return this.serverSettings;
	}

	@Override
	public Collection<HybridServerCustomizer> getServerCustomizers() {
		return this.serverCustomizers;
	}

	@Override
	public void addServerCustomizers(HybridServerCustomizer... customizers) {
		this.serverCustomizers.addAll(List.of(customizers));
	}

	@Override
	public void addListeners(HybridListener... listeners) {
		this.listeners.addAll(List.of(listeners));
	}

	@Override
	public List<HybridListener> getListeners() {
		return this.listeners;
	}

	@Override
	public void setDispatchObserver(DispatchObserver dispatchObserver) {
		this.dispatchObserver = (dispatchObserver != null) ? dispatchObserver : DispatchObserver.NONE;
	}

	@Override
	public void setTlsHandshakeListener(TlsHandshakeListener listener) {
		this.tlsHandshakeListener = (listener != null) ? listener : TlsHandshakeListener.NONE;
	}

	/** Where the {@code HttpHandler} runs: on workers (the default) or on the event loops. */
	public void setDispatchMode(ReactiveDispatchMode dispatchMode) {
		this.dispatchMode = (dispatchMode != null) ? dispatchMode : ReactiveDispatchMode.WORKERS;
	}

	public ReactiveDispatchMode getDispatchMode() {
		return this.dispatchMode;
	}

	/**
	 * Where WebSocket handlers run and their sessions' signals are delivered ({@code
	 * server.hybrid.reactive.websocket-dispatch}): on workers, or on each connection's event loop with no hand-off;
	 * {@code null} (the default) for where {@link #setDispatchMode the HttpHandler runs}. Workers need the
	 * {@code HttpHandler} on workers too: with {@link ReactiveDispatchMode#EVENT_LOOP} the server runs none.
	 */
	public void setWebSocketDispatchMode(ReactiveDispatchMode webSocketDispatchMode) {
		this.webSocketDispatchMode = webSocketDispatchMode;
	}

	public ReactiveDispatchMode getWebSocketDispatchMode() {
		return this.webSocketDispatchMode;
	}

	/** The limits of WebSocket sessions ({@code server.hybrid.websocket.*}). */
	public void setWebSocketSettings(WebSocketSettings webSocket) {
		this.webSocket = Objects.requireNonNull(webSocket, "webSocket");
	}

	@Override
	public WebServer getWebServer(HttpHandler httpHandler) {
		HybridServletWebServerFactory.enableHttp2IfAsked(this.serverSettings, getHttp2());
		for (HybridServerCustomizer customizer : this.serverCustomizers) {
			customizer.customize(this.serverSettings);
		}
		this.serverSettings.getHttp().setServerHeader(getServerHeader());
		boolean onEventLoop = this.dispatchMode == ReactiveDispatchMode.EVENT_LOOP;
		boolean webSocketsOnEventLoop = webSocketsOnEventLoop(onEventLoop);
		this.serverSettings.setHandlersOnEventLoop(onEventLoop);
		LateBoundContinuations continuations = new LateBoundContinuations();
		ReactiveHttpHandlerAdapter adapter = new ReactiveHttpHandlerAdapter(httpHandler,
				onEventLoop ? Runnable::run : continuations, this.serverSettings.getHttp().getConnectionTimeout());
		WebSocketStats webSocketStats = new WebSocketStats();
		// On the loop, a session's signals run where they arise (the connection's events are raised on its loop, and
		// so are completed writes): no hand-off at all. On workers, as for servlet applications: each session's events
		// are batched per run, and the sessions a loop hands over in one pass wake workers once, after it (not once
		// each, as continuations of exchanges do).
		ServerWorkerHandOff webSocketHandOff = new ServerWorkerHandOff();
		ReactiveWebSocketSessions webSockets = new ReactiveWebSocketSessions(this.webSocket, webSocketStats,
				webSocketsOnEventLoop ? WebSocketWorkers.of(Runnable::run) : new WebSocketWorkers(webSocketHandOff));
		adapter.setWebSockets(webSockets);
		ExchangeHandler handler = adapter;
		ResponseCompression compression = CompressionPolicy.of(getCompression(),
				this.serverSettings.getAdditionalCompressionMimeTypes());
		if (compression != null) {
			handler = (exchange) -> adapter.handle(compression.wrap(exchange));
		}
		String mode = onEventLoop ? "WebFlux, handlers on the event loops"
				: webSocketsOnEventLoop ? "WebFlux, WebSocket handlers on the event loops" : "WebFlux";
		HybridWebServer server;
		try {
			TlsCredentials tls = SslConfiguration.credentials(getSsl(), this::getSslBundle,
					this::getServerNameSslBundles, getSslBundles());
			server = new HybridWebServer(this.serverSettings, getAddress(), getPort(), tls, handler, () -> {
			}, getShutdown(), mode);
			for (HybridListener listener : this.listeners) {
				server.addListener(listener, SslConfiguration.listenerCredentials(listener, tls, getSslBundles()));
			}
		}
		catch (RuntimeException ex) {
			throw SslConfiguration.asWebServerException(ex);
		}
		continuations.server = server;
		webSocketHandOff.server = server;
		server.setDispatchObserver(this.dispatchObserver);
		server.setTlsHandshakeListener(this.tlsHandshakeListener);
		server.setWebSocketStats(webSocketStats);
		return server;
	}

	private boolean webSocketsOnEventLoop(boolean handlersOnEventLoop) {
		if (this.webSocketDispatchMode == null) {
			return handlersOnEventLoop;
		}
		if (handlersOnEventLoop && this.webSocketDispatchMode == ReactiveDispatchMode.WORKERS) {
			throw new InvalidServerSettingsException("server.hybrid.reactive.websocket-dispatch=workers needs "
					+ "server.hybrid.reactive.dispatch=workers: with dispatch=event-loop the server runs no workers. "
					+ "Remove websocket-dispatch (WebSocket handlers then run on the event loops too), "
					+ "or set dispatch=workers");
		}
		return this.webSocketDispatchMode == ReactiveDispatchMode.EVENT_LOOP;
	}

	/** The adapter is made before the server whose workers run its continuations. */
	private static final class LateBoundContinuations implements Executor {

		private volatile HybridWebServer server;

		@Override
		public void execute(Runnable task) {
			this.server.executeContinuation(task);
		}

	}

}
