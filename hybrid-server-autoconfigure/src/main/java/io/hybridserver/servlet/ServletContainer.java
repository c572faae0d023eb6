package io.hybridserver.servlet;

import java.util.List;
import java.util.Objects;

import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.Exchange;
import io.hybridserver.servlet.core.WebApplication;
import io.hybridserver.servlet.handlers.ApplicationDispatchers;
import io.hybridserver.servlet.handlers.RequestProcessor;
import io.hybridserver.servlet.handlers.StaticResourceServlet;
import io.hybridserver.servlet.resource.StaticResources;
import io.hybridserver.servlet.session.SessionStore;
import io.hybridserver.servlet.spec.ServletContextFacade;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;

/**
 * One web application on the hybrid server: created from a {@link ServletDeployment}, configured through its
 * {@link #servletContext()} by {@link ServletContextStartup}s, then handed {@link Exchange}s by the dispatch tier's
 * workers.
 *
 * <p>Start order follows Tomcat: every startup's {@code onStartup} (Spring Boot registers servlets, filters and
 * listeners there), then {@code contextInitialized} of each {@code ServletContextListener} in registration order,
 * then {@code init} of every filter; the servlets with a load-on-startup value, lowest first, when the server starts
 * ({@link #loadOnStartup()}, as Spring Boot defers them on Tomcat). Other servlets are initialised on their first
 * request. {@link #stop()} reverses it.
 *
 * <p>{@link #handle} runs on a worker thread; the exchange ends with {@code complete()} or {@code abort()} before it
 * returns, or later from another thread when the application started asynchronous processing.
 */
public final class ServletContainer implements ExchangeHandler {

	private final WebApplication application;

	private final ServletContextFacade servletContext;

	private final RequestProcessor processor;

	private volatile boolean started;

	public ServletContainer(ServletDeployment deployment) {
		this.application = new WebApplication(Objects.requireNonNull(deployment, "deployment"));
		this.servletContext = new ServletContextFacade(this.application);
		this.application.dispatchers(new ApplicationDispatchers(this.application));
		this.processor = new RequestProcessor(this.application);
	}

	/** The context, usable before {@link #start} so that initializers can register what they need. */
	public ServletContext servletContext() {
		return this.servletContext;
	}

	/** The application's sessions, with what they count for the session meters. */
	public SessionStore sessions() {
		return this.application.sessions();
	}

	/** The context's static resources, with the counts of how their lookups were answered (for metrics). */
	public StaticResources resources() {
		return this.application.resources();
	}

	/**
	 * Runs the startups and starts the application.
	 * @throws ServletException if a startup, a listener or a filter's init failed; the container is then stopped, so
	 *     whatever did start is destroyed
	 * @throws IllegalStateException if called twice
	 */
	public synchronized void start(List<ServletContextStartup> startups) throws ServletException {
		if (this.started) {
			throw new IllegalStateException("The servlet container has already been started");
		}
		try {
			for (ServletContextStartup startup : startups) {
				startup.onStartup(this.servletContext);
			}
			registerDefaultServlet();
			this.application.start();
			this.started = true;
		}
		catch (ServletException | RuntimeException ex) {
			this.application.stop();
			throw ex;
		}
	}

	/**
	 * Initialises the servlets with a load-on-startup value, lowest first; those already initialised stay as they are.
	 * @throws ServletException if one's {@code init} failed (the caller decides: Spring Boot fails the start)
	 */
	public void loadOnStartup() throws ServletException {
		this.application.loadOnStartupServlets();
	}

	/**
	 * Registers the default servlet after the application's own registrations, so that a DispatcherServlet mapped to
	 * {@code /} keeps it; the default servlet then stays reachable by name, which is how Spring MVC uses it.
	 */
	private void registerDefaultServlet() {
		if (!this.application.deployment().isRegisterDefaultServlet()
				|| this.application.servlet(StaticResourceServlet.NAME) != null) {
			return;
		}
		ServletRegistration.Dynamic registration = this.servletContext.addServlet(StaticResourceServlet.NAME,
				new StaticResourceServlet(this.application::resources));
		boolean slashTaken = this.application.servlets().values().stream()
			.anyMatch((holder) -> holder.getMappings().contains("/"));
		if (!slashTaken) {
			registration.addMapping("/");
		}
	}

	@Override
	public void handle(Exchange exchange) {
		if (!this.started || this.application.isStopped()) {
			exchange.abort(new IllegalStateException("The servlet container is not running"));
			return;
		}
		this.processor.process(exchange);
	}

	/** Destroys servlets and filters and tells context listeners in reverse order; calling it again does nothing. */
	public synchronized void stop() {
		this.application.stop();
	}

}
