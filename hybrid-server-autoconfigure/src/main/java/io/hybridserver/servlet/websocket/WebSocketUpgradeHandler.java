package io.hybridserver.servlet.websocket;

import io.hybridserver.http.ConnectionUpgrade;
import io.hybridserver.servlet.spec.ExchangeUpgradeHandler;

/**
 * What {@code HttpServletRequest.upgrade} creates for a WebSocket handshake; the container gives it the
 * {@link ConnectionUpgrade} before the servlet returns, and the request cycle installs that after the 101.
 */
public final class WebSocketUpgradeHandler implements ExchangeUpgradeHandler {

	private ConnectionUpgrade upgrade;

	/** Public, for the container's {@code upgrade(Class)}. */
	public WebSocketUpgradeHandler() {
	}

	void prepare(ConnectionUpgrade upgrade) {
		this.upgrade = upgrade;
	}

	@Override
	public ConnectionUpgrade connectionUpgrade() {
		if (this.upgrade == null) {
			throw new IllegalStateException("The WebSocket handshake did not complete");
		}
		return this.upgrade;
	}

}
