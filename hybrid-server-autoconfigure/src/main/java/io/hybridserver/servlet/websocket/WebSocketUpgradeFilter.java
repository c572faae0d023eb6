package io.hybridserver.servlet.websocket;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;

/**
 * Routes WebSocket upgrade requests for deployed endpoints ({@code @ServerEndpoint}, {@code addEndpoint}) to the
 * container, as Tomcat's {@code WsFilter} does; every other request goes on down the chain after one header check.
 * Mapped to {@code /*} after the application's own filters, so that security filters see handshakes first.
 */
final class WebSocketUpgradeFilter implements Filter {

	private final HybridServerContainer container;

	WebSocketUpgradeFilter(HybridServerContainer container) {
		this.container = container;
	}

	@Override
	public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
			throws IOException, ServletException {
		if (this.container.hasEndpoints() && req instanceof HttpServletRequest request
				&& res instanceof HttpServletResponse response && "GET".equals(request.getMethod())
				&& OpeningHandshake.hasToken(request, "Upgrade", "websocket")) {
			String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
			HybridServerContainer.Match match = this.container.match(path);
			if (match != null) {
				try {
					this.container.upgradeHttpToWebSocket(request, response, match.endpoint().config(),
							match.pathParameters());
				}
				catch (DeploymentException ex) {
					throw new ServletException(ex.getMessage(), ex);
				}
				return;
			}
		}
		chain.doFilter(req, res);
	}

}
