package io.hybridserver.servlet.websocket;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;

import io.hybridserver.servlet.spec.RequestFacade;
import io.hybridserver.websocket.PerMessageDeflate;
import io.hybridserver.websocket.WebSocketHandshake;
import io.hybridserver.websocket.WebSocketUpgrade;

/**
 * The server's opening handshake (RFC 6455, 4.2.2) on a servlet request. A request that is not a valid WebSocket
 * upgrade is answered here, as Tomcat answers it: 400 for a missing or malformed key or a missing
 * {@code Connection: upgrade}, 426 with {@code Sec-WebSocket-Version: 13} for another version, 403 when the
 * configurator refuses the origin, 503 past {@code server.hybrid.websocket.max-sessions}. A valid one gets its
 * subprotocol and extensions negotiated (per-message deflate when the client offers it and the configurator keeps it),
 * the configurator's {@code modifyHandshake}, the 101's headers, and the request's upgrade, which takes effect once
 * the servlet returns.
 */
final class OpeningHandshake {

	private final HybridServerContainer container;

	OpeningHandshake(HybridServerContainer container) {
		this.container = container;
	}

	void upgrade(HttpServletRequest request, HttpServletResponse response, ServerEndpointConfig config,
			Map<String, String> pathParameters) throws IOException, DeploymentException {
		RequestFacade facade = facade(request);
		if (!"GET".equals(request.getMethod()) || !hasToken(request, "Upgrade", "websocket")
				|| !hasToken(request, "Connection", "upgrade")) {
			response.sendError(400, "Not a WebSocket upgrade request");
			return;
		}
		String key = request.getHeader("Sec-WebSocket-Key");
		if (!WebSocketHandshake.isValidKey(key)) {
			response.sendError(400, "Missing or malformed Sec-WebSocket-Key");
			return;
		}
		if (!WebSocketHandshake.VERSION.equals(request.getHeader("Sec-WebSocket-Version"))) {
			response.setHeader("Sec-WebSocket-Version", WebSocketHandshake.VERSION);
			response.sendError(426, "Unsupported WebSocket version");
			return;
		}
		if (facade == null || !facade.canUpgrade()) {
			response.sendError(400, "WebSocket upgrades need HTTP/1.1");
			return;
		}
		ServerEndpointConfig.Configurator configurator = config.getConfigurator();
		if (!configurator.checkOrigin(request.getHeader("Origin"))) {
			response.sendError(403, "Origin not allowed");
			return;
		}
		HandshakeRequestView handshakeRequest = new HandshakeRequestView(request);
		String subprotocol = configurator.getNegotiatedSubprotocol(config.getSubprotocols(),
				handshakeRequest.tokens("Sec-WebSocket-Protocol"));
		List<Extension> extensions = configurator.getNegotiatedExtensions(
				new ArrayList<>(this.container.getInstalledExtensions()),
				NamedExtension.offered(handshakeRequest.tokens("Sec-WebSocket-Extensions")));
		PerMessageDeflate deflate = null;
		if (extensions.stream().anyMatch((extension) -> PerMessageDeflate.NAME.equals(extension.getName()))) {
			String offers = String.join(",", handshakeRequest.getHeaders().get("Sec-WebSocket-Extensions"));
			deflate = PerMessageDeflate.negotiate(offers, this.container.getDefaultMaxTextMessageBufferSize());
		}
		extensions = (deflate != null) ? List.of(new NamedExtension(PerMessageDeflate.NAME)) : List.of();
		Object endpoint;
		try {
			endpoint = configurator.getEndpointInstance(config.getEndpointClass());
		}
		catch (InstantiationException ex) {
			throw new DeploymentException("Cannot create the endpoint for " + config.getPath(), ex);
		}
		Endpoint adapted = (endpoint instanceof Endpoint programmatic) ? programmatic
				: new AnnotatedEndpoint(endpoint, this.container.methodsOf(config));
		HandshakeResponseView handshakeResponse = new HandshakeResponseView();
		if (subprotocol != null && !subprotocol.isEmpty()) {
			handshakeResponse.getHeaders().put("Sec-WebSocket-Protocol", new ArrayList<>(List.of(subprotocol)));
		}
		if (deflate != null) {
			handshakeResponse.getHeaders()
				.put("Sec-WebSocket-Extensions", new ArrayList<>(List.of(deflate.responseHeader())));
		}
		try {
			configurator.modifyHandshake(config, handshakeRequest, handshakeResponse);
		}
		finally {
			handshakeRequest.handshakeDone();
		}
		if (!this.container.reserveSession()) {
			response.setHeader("Retry-After", "1");
			response.sendError(503, "Too many WebSocket sessions");
			return;
		}
		boolean upgraded = false;
		try {
			response.setHeader("Upgrade", "websocket");
			response.setHeader("Connection", "upgrade");
			response.setHeader("Sec-WebSocket-Accept", WebSocketHandshake.accept(key));
			handshakeResponse.getHeaders().forEach((name, values) -> {
				response.setHeader(name, null);
				for (String value : values) {
					response.addHeader(name, value);
				}
			});
			List<String> protocols = handshakeResponse.getHeaders().get("Sec-WebSocket-Protocol");
			String negotiated = (protocols == null || protocols.isEmpty()) ? "" : protocols.get(0);
			HybridSession session = new HybridSession(this.container, config, adapted, handshakeRequest,
					pathParameters, negotiated, extensions, EndpointAddresses.of(request));
			WebSocketUpgradeHandler handler = request.upgrade(WebSocketUpgradeHandler.class);
			handler.prepare(new WebSocketUpgrade(this.container.settings(), this.container.stats(), session,
					this.container.workers(), this.container::releaseSession).withDeflate(deflate));
			upgraded = true;
		}
		catch (ServletException ex) {
			throw new IOException("The upgrade failed: " + ex.getMessage(), ex);
		}
		finally {
			if (!upgraded) {
				this.container.releaseSession();
			}
		}
	}

	/** Our request under any wrappers (Spring Security wraps it), for what only the container can ask of it. */
	private static RequestFacade facade(ServletRequest request) {
		ServletRequest current = request;
		while (current instanceof ServletRequestWrapper wrapper) {
			current = wrapper.getRequest();
		}
		return (current instanceof RequestFacade facade) ? facade : null;
	}

	static boolean hasToken(HttpServletRequest request, String header, String token) {
		for (java.util.Enumeration<String> values = request.getHeaders(header); values.hasMoreElements();) {
			for (String part : values.nextElement().split(",")) {
				if (part.trim().equalsIgnoreCase(token)) {
					return true;
				}
			}
		}
		return false;
	}

}
