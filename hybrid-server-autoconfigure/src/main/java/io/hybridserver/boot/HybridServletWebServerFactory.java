package io.hybridserver.boot;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.MimeMappings;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.server.servlet.DocumentRoot;
import org.springframework.boot.web.server.servlet.ServletContextInitializers;
import org.springframework.boot.web.server.servlet.ServletWebServerSettings;
import org.springframework.boot.web.server.servlet.Session;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.util.ClassUtils;

import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.ResponseCompression;
import io.hybridserver.servlet.ServletContainer;
import io.hybridserver.servlet.ServletDeployment;
import io.hybridserver.servlet.resource.StaticResources;
import io.hybridserver.servlet.spec.ForwardedHeaders;
import io.hybridserver.servlet.websocket.WebSocketContainerStartup;
import io.hybridserver.tls.TlsCredentials;
import io.hybridserver.tls.TlsHandshakeListener;
import io.hybridserver.websocket.WebSocketSettings;
import io.hybridserver.websocket.WebSocketStats;

/**
 * The servlet {@code WebServerFactory} of the hybrid server: what Spring Boot asks for when a Spring MVC application
 * starts. It deploys Boot's servlet context initializers into our Servlet 6.1 container, then hands the container to a
 * {@link HybridWebServer} as its application tier.
 */
public class HybridServletWebServerFactory extends AbstractConfigurableWebServerFactory
		implements ConfigurableServletWebServerFactory, ConfigurableHybridWebServerFactory {

	private final ServletWebServerSettings settings = new ServletWebServerSettings();

	private final HybridServerSettings serverSettings = new HybridServerSettings();

	private final List<HybridServerCustomizer> serverCustomizers = new ArrayList<>();

	private DispatchObserver dispatchObserver = DispatchObserver.NONE;

	private TlsHandshakeListener tlsHandshakeListener = TlsHandshakeListener.NONE;

	private final List<HybridListener> listeners = new ArrayList<>();

	private boolean useForwardHeaders;

	private String internalProxies = ForwardedHeaders.DEFAULT_INTERNAL_PROXIES;

	private String trustedProxies;

	private int maxPartCount = ServletDeployment.DEFAULT_MAX_PART_COUNT;

	/** Whether the Jakarta WebSocket API is there (Tomcat bundles it; without Tomcat the starter brings it). */
	private static final boolean WEBSOCKET_API_PRESENT = ClassUtils.isPresent(
			"jakarta.websocket.server.ServerContainer", HybridServletWebServerFactory.class.getClassLoader());

	private WebSocketSettings webSocket = WebSocketSettings.DEFAULTS;

	private StaticResources.Settings resourceCache = StaticResources.Settings.DEFAULT;

	private ForwardedHeaders.Names forwardedHeaderNames = ForwardedHeaders.Names.DEFAULT;

	private long maxFormPostSize = ServletDeployment.DEFAULT_MAX_FORM_POST_SIZE;

	private int maxParameterCount = ServletDeployment.DEFAULT_MAX_PARAMETER_COUNT;

	private int maxPartHeaderSize = ServletDeployment.DEFAULT_MAX_PART_HEADER_SIZE;

	private boolean redirectContextRoot = true;

	private boolean rejectInvalidParameters = true;

	public HybridServletWebServerFactory() {
	}

	public HybridServletWebServerFactory(int port) {
		super(port);
	}

	@Override
	public ServletWebServerSettings getSettings() {
		return this.settings;
	}

	/** The engine settings (transport, threads, queues, HTTP limits). */
	@Override
	public HybridServerSettings getServerSettings() {
		return this.serverSettings;
	}

	/** Customizers applied to the engine settings when the server is created. */
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

	/** Sets who hears about request-queue hand-offs (the metrics binder's queue-wait timer). */
	@Override
	public void setDispatchObserver(DispatchObserver dispatchObserver) {
		this.dispatchObserver = (dispatchObserver != null) ? dispatchObserver : DispatchObserver.NONE;
	}

	/** Sets who hears how TLS handshakes end (the metrics binder's handshake meters). */
	@Override
	public void setTlsHandshakeListener(TlsHandshakeListener listener) {
		this.tlsHandshakeListener = (listener != null) ? listener : TlsHandshakeListener.NONE;
	}

	/** Whether forwarding headers from trusted proxies set the request's scheme, host, port and client address. */
	public void setUseForwardHeaders(boolean useForwardHeaders) {
		this.useForwardHeaders = useForwardHeaders;
	}

	/** Regular expression of internal proxies (never the client); see {@link ForwardedHeaders}. */
	public void setInternalProxies(String internalProxies) {
		this.internalProxies = internalProxies;
	}

	/** Regular expression of further trusted proxies, or {@code null}. */
	public void setTrustedProxies(String trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	/** Bound on the parts of a multipart request. */
	public void setMaxPartCount(int maxPartCount) {
		if (maxPartCount < 1) {
			throw new IllegalArgumentException("must be at least 1, was " + maxPartCount);
		}
		this.maxPartCount = maxPartCount;
	}

	/** How resource lookups are cached ({@code server.hybrid.resource.*}). */
	public void setResourceCache(StaticResources.Settings resourceCache) {
		this.resourceCache = Objects.requireNonNull(resourceCache, "resourceCache");
	}

	/** The headers trusted proxies write (client address, protocol, host, port); see {@link ForwardedHeaders.Names}. */
	public void setForwardedHeaderNames(ForwardedHeaders.Names names) {
		this.forwardedHeaderNames = Objects.requireNonNull(names, "names");
	}

	/** Bound in bytes on a form body parsed for parameters (413 beyond it); negative for no limit. */
	public void setMaxFormPostSize(long maxFormPostSize) {
		this.maxFormPostSize = maxFormPostSize;
	}

	/** Bound on request parameters, query and form together (400 beyond it); negative for no limit. */
	public void setMaxParameterCount(int maxParameterCount) {
		this.maxParameterCount = maxParameterCount;
	}

	/** Bound in bytes on one multipart part's header block (400 beyond it). */
	public void setMaxPartHeaderSize(int maxPartHeaderSize) {
		if (maxPartHeaderSize < 1) {
			throw new IllegalArgumentException("must be at least 1 byte, was " + maxPartHeaderSize + "B");
		}
		this.maxPartHeaderSize = maxPartHeaderSize;
	}

	/** Whether {@code /api} is redirected to {@code /api/} for the context path {@code /api}, as Tomcat does. */
	public void setRedirectContextRoot(boolean redirectContextRoot) {
		this.redirectContextRoot = redirectContextRoot;
	}

	/** Whether parameters not valid in the request's charset, or with an empty name, are answered with 400. */
	public void setRejectInvalidParameters(boolean rejectInvalidParameters) {
		this.rejectInvalidParameters = rejectInvalidParameters;
	}

	/** The limits of WebSocket sessions ({@code server.hybrid.websocket.*}). */
	public void setWebSocketSettings(WebSocketSettings webSocket) {
		this.webSocket = Objects.requireNonNull(webSocket, "webSocket");
	}

	@Override
	public WebServer getWebServer(ServletContextInitializer... initializers) {
		enableHttp2IfAsked(this.serverSettings, getHttp2());
		for (HybridServerCustomizer customizer : this.serverCustomizers) {
			customizer.customize(this.serverSettings);
		}
		this.serverSettings.getHttp().setServerHeader(getServerHeader());
		ServletContainer container = new ServletContainer(deployment());
		WebSocketStats webSocketStats = new WebSocketStats();
		ServerWorkerHandOff webSocketWorkers = new ServerWorkerHandOff();
		ServletContextInitializers startups = ServletContextInitializers.from(this.settings, initializers);
		try {
			container.start(List.of((servletContext) -> {
				for (ServletContextInitializer initializer : startups) {
					initializer.onStartup(servletContext);
				}
				if (WEBSOCKET_API_PRESENT) {
					// After the application's initializers, so that its filters (security) see handshakes first.
					new WebSocketContainerStartup(this.webSocket, webSocketStats, webSocketWorkers)
						.onStartup(servletContext);
				}
			}));
		}
		catch (Exception ex) {
			container.stop();
			throw new org.springframework.boot.web.server.WebServerException(
					"Unable to start the servlet container: " + ex.getMessage(), ex);
		}
		if (container.servletContext()
			.getEffectiveSessionTrackingModes()
			.contains(jakarta.servlet.SessionTrackingMode.SSL)) {
			// The TLS session id is the servlet session's: no tickets, which would leave resumed sessions without one.
			this.serverSettings.getTls().setSessionTickets(false);
		}
		String contextPath = this.settings.getContextPath().toString();
		ExchangeHandler handler = container;
		ResponseCompression compression = CompressionPolicy.of(getCompression(),
				this.serverSettings.getAdditionalCompressionMimeTypes());
		if (compression != null) {
			// Decorating the exchange keeps compression on the worker and out of the servlet container.
			handler = (exchange) -> container.handle(compression.wrap(exchange));
		}
		HybridWebServer server;
		try {
			TlsCredentials tls = SslConfiguration.credentials(getSsl(), this::getSslBundle,
					this::getServerNameSslBundles, getSslBundles());
			server = new HybridWebServer(this.serverSettings, getAddress(), getPort(), tls, handler,
					container::stop, getShutdown(), null);
			for (HybridListener listener : this.listeners) {
				server.addListener(listener, SslConfiguration.listenerCredentials(listener, tls, getSslBundles()));
			}
		}
		catch (RuntimeException ex) {
			container.stop();
			throw SslConfiguration.asWebServerException(ex);
		}
		server.setDispatchObserver(this.dispatchObserver);
		server.setTlsHandshakeListener(this.tlsHandshakeListener);
		server.setStaticResources(container::resources);
		server.setSessions(container::sessions);
		server.setContextPath(contextPath);
		// Tomcat's order under Boot: load-on-startup servlets when the server starts, not while the context refreshes.
		server.setBeforeListening(container::loadOnStartup);
		if (WEBSOCKET_API_PRESENT) {
			// Endpoint callbacks run on this server's workers from its start on.
			webSocketWorkers.server = server;
			server.setWebSocketStats(webSocketStats);
		}
		return server;
	}

	private ServletDeployment deployment() {
		ServletDeployment deployment = new ServletDeployment();
		deployment.setContextPath(this.settings.getContextPath().toString());
		deployment.setDisplayName(this.settings.getDisplayName());
		deployment.setClassLoader(ClassUtils.getDefaultClassLoader());
		File tempDir = createTempDir("hybrid");
		deployment.setTempDirectory(tempDir);
		deployment.setServerInfo("hybrid-server");
		deployment.getInitParameters().putAll(this.settings.getInitParameters());
		// Exactly Boot's mappings and the configured ones, as Boot's Tomcat has: the container's own defaults differ.
		deployment.getMimeMappings().clear();
		for (MimeMappings.Mapping mapping : this.settings.getMimeMappings()) {
			deployment.getMimeMappings().put(mapping.getExtension(), mapping.getMimeType());
		}
		deployment.getLocaleCharsetMappings().putAll(this.settings.getLocaleCharsetMappings());
		for (ErrorPage page : getErrorPages()) {
			if (page.isGlobal()) {
				deployment.setGlobalErrorPage(page.getPath());
			}
			else if (page.getException() != null) {
				deployment.addErrorPage(page.getException(), page.getPath());
			}
			else {
				deployment.addErrorPage(page.getStatusCode(), page.getPath());
			}
		}
		applySession(deployment, this.settings.getSession());
		if (this.useForwardHeaders) {
			deployment.setForwardedHeaders(
					new ForwardedHeaders(this.internalProxies, this.trustedProxies, this.forwardedHeaderNames));
		}
		deployment.setMaxPartCount(this.maxPartCount);
		deployment.setMaxFormPostSize(this.maxFormPostSize);
		deployment.setMaxParameterCount(this.maxParameterCount);
		deployment.setMaxPartHeaderSize(this.maxPartHeaderSize);
		deployment.setResourceCache(this.resourceCache);
		deployment.setRedirectContextRoot(this.redirectContextRoot);
		deployment.setAllowTrace(this.serverSettings.getHttp().isAllowTrace());
		deployment.setRejectInvalidParameters(this.rejectInvalidParameters);
		// Boot's rules for the document root: the configured one, else an exploded war or src/main/webapp.
		DocumentRoot documentRoot = new DocumentRoot(LogFactory.getLog(HybridServletWebServerFactory.class));
		documentRoot.setDirectory(this.settings.getDocumentRoot());
		File validRoot = documentRoot.getValidDirectory();
		// Without one, an empty temporary directory as Boot gives Tomcat: ServletContext.getResource("/") then names
		// the root instead of answering null.
		deployment.setDocumentRoot((validRoot != null) ? validRoot : createTempDir("hybrid-docbase"));
		deployment.setRegisterDefaultServlet(this.settings.isRegisterDefaultServlet());
		List<? extends CookieSameSiteSupplier> sameSiteSuppliers = this.settings.getCookieSameSiteSuppliers();
		if (!sameSiteSuppliers.isEmpty()) {
			deployment.setCookieSameSite((cookie) -> {
				for (CookieSameSiteSupplier supplier : sameSiteSuppliers) {
					org.springframework.boot.web.server.Cookie.SameSite sameSite = supplier.getSameSite(cookie);
					if (sameSite != null) {
						return sameSite.attributeValue();
					}
				}
				return null;
			});
		}
		return deployment;
	}

	private static void applySession(ServletDeployment deployment, Session session) {
		if (session == null) {
			return;
		}
		if (session.getTimeout() != null) {
			deployment.setSessionTimeout(session.getTimeout());
		}
		if (session.isPersistent()) {
			// Where Boot says (server.servlet.session.store-dir, else a temp dir kept across restarts), one file.
			File dir = session.getSessionStoreDirectory().getValidDirectory(true);
			deployment.setSessionStoreFile(new File(dir, "SESSIONS.ser"));
		}
		org.springframework.boot.web.server.Cookie cookie = session.getCookie();
		if (cookie.getName() != null) {
			deployment.setSessionCookieName(cookie.getName());
		}
		if (cookie.getDomain() != null) {
			deployment.setSessionCookieDomain(cookie.getDomain());
		}
		if (cookie.getPath() != null) {
			deployment.setSessionCookiePath(cookie.getPath());
		}
		if (cookie.getHttpOnly() != null) {
			deployment.setSessionCookieHttpOnly(cookie.getHttpOnly());
		}
		if (cookie.getSecure() != null) {
			deployment.setSessionCookieSecure(cookie.getSecure());
		}
		if (cookie.getMaxAge() != null) {
			deployment.setSessionCookieMaxAge((int) cookie.getMaxAge().getSeconds());
		}
		if (cookie.getSameSite() != null) {
			deployment.setSessionCookieSameSite(cookie.getSameSite().attributeValue());
			// OMITTED has no attribute value, yet it is a choice: no CookieSameSiteSupplier may add one.
			deployment.setSessionCookieSameSiteOmitted(cookie.getSameSite().attributeValue() == null);
		}
	}

	/** {@code server.http2.enabled} turns HTTP/2 on, as it does for Tomcat; a customizer may also have done so. */
	static void enableHttp2IfAsked(HybridServerSettings settings, org.springframework.boot.web.server.Http2 http2) {
		if (http2 != null && http2.isEnabled()) {
			settings.getHttp2().setEnabled(true);
		}
	}

}
