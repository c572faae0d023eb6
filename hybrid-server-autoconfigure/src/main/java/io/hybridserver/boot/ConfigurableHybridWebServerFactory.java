package io.hybridserver.boot;

import java.util.Collection;
import java.util.List;

import org.springframework.boot.web.server.ConfigurableWebServerFactory;

import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.tls.TlsHandshakeListener;

/**
 * What the servlet and the reactive hybrid server factories share: the engine settings and who observes the engine.
 * Customizers of {@code server.hybrid.*} and the metrics binder target this type, so they apply to both.
 */
public interface ConfigurableHybridWebServerFactory extends ConfigurableWebServerFactory {

	/** The engine settings (transport, threads, queues, HTTP limits, TLS engine). */
	HybridServerSettings getServerSettings();

	/** Customizers applied to the engine settings when the server is created. */
	Collection<HybridServerCustomizer> getServerCustomizers();

	void addServerCustomizers(HybridServerCustomizer... customizers);

	/**
	 * Adds listeners beside the primary port ({@code server.port}): more TCP ports, Unix domain sockets, TLS with their
	 * own SSL bundles, PROXY protocol, an HTTP-to-HTTPS redirect. The code-based twin of
	 * {@code server.hybrid.additional-listeners}, as Tomcat's {@code addAdditionalTomcatConnectors} is for Tomcat.
	 */
	void addListeners(HybridListener... listeners);

	/** The listeners added so far, beside the primary port. */
	List<HybridListener> getListeners();

	/** Sets who hears about request-queue hand-offs (the metrics binder's queue-wait timer). */
	void setDispatchObserver(DispatchObserver dispatchObserver);

	/** Sets who hears how TLS handshakes end (the metrics binder's handshake meters). */
	void setTlsHandshakeListener(TlsHandshakeListener listener);

}
