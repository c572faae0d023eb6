package io.hybridserver.servlet.spec;

import io.hybridserver.http.Exchange;
import jakarta.servlet.ServletConnection;

/**
 * The Servlet 6 view of the connection. The Exchange exposes no connection id, so the id is derived from the peer and
 * local socket addresses, which identify one TCP connection while it is open.
 */
final class ExchangeConnection implements ServletConnection {

	private final Exchange exchange;

	ExchangeConnection(Exchange exchange) {
		this.exchange = exchange;
	}

	@Override
	public String getConnectionId() {
		return this.exchange.remoteAddress() + "->" + this.exchange.localAddress();
	}

	@Override
	public String getProtocol() {
		String protocol = this.exchange.protocol();
		return protocol.equalsIgnoreCase("HTTP/2.0") || protocol.equalsIgnoreCase("HTTP/2")
				? ("https".equals(this.exchange.scheme()) ? "h2" : "h2c") : "http/1.1";
	}

	@Override
	public String getProtocolConnectionId() {
		return "";
	}

	@Override
	public boolean isSecure() {
		return "https".equalsIgnoreCase(this.exchange.scheme());
	}

}
