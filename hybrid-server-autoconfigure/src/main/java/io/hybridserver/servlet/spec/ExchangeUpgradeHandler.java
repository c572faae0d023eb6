package io.hybridserver.servlet.spec;

import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.WebConnection;

import io.hybridserver.http.ConnectionUpgrade;

/**
 * An {@link HttpUpgradeHandler} that takes over the connection on the I/O tier instead of through the servlet
 * {@link WebConnection} streams: after the servlet returns, the container sends the 101 and installs the handler's
 * {@link ConnectionUpgrade} on the connection's event loop. The WebSocket container upgrades this way; blocking-stream
 * handlers are not supported, and {@code HttpServletRequest.upgrade} refuses them.
 */
public interface ExchangeUpgradeHandler extends HttpUpgradeHandler {

	/** What the connection becomes; asked once, after the servlet returned and before the 101 is sent. */
	ConnectionUpgrade connectionUpgrade();

	/** Never called: the connection is not handed over as streams. */
	@Override
	default void init(WebConnection connection) {
		throw new UnsupportedOperationException("The connection is taken over on the I/O tier");
	}

	@Override
	default void destroy() {
	}

}
