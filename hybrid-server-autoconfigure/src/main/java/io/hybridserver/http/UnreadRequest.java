package io.hybridserver.http;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A request the I/O tier answered before its head was read whole (408 when the head did not arrive in time): no
 * method, target, protocol or header, only the connection and the answer. What the completion listener hears instead
 * of an exchange, so that the access log has a line for it, as Tomcat's has.
 *
 * @param remoteAddress the client (or the PROXY header's)
 * @param localAddress the address the connection was accepted on
 * @param scheme {@code http} or {@code https}
 * @param status the status the I/O tier answered
 * @param bodyBytes the answer's body bytes
 * @param startMillis when it was answered, in milliseconds since the epoch
 */
public record UnreadRequest(InetSocketAddress remoteAddress, InetSocketAddress localAddress, String scheme, int status,
		long bodyBytes, long startMillis) implements CompletedExchange {

	/** A request answered now; see the record's components. */
	public UnreadRequest(InetSocketAddress remoteAddress, InetSocketAddress localAddress, String scheme, int status,
			long bodyBytes) {
		this(remoteAddress, localAddress, scheme, status, bodyBytes, System.currentTimeMillis());
	}

	@Override
	public boolean requestLineRead() {
		return false;
	}

	@Override
	public String method() {
		return null;
	}

	@Override
	public String target() {
		return null;
	}

	@Override
	public String protocol() {
		return null;
	}

	@Override
	public boolean aborted() {
		return false;
	}

	@Override
	public long durationNanos() {
		return 0;
	}

	@Override
	public long commitNanos() {
		return 0;
	}

	@Override
	public List<String> requestHeaders(String name) {
		return List.of();
	}

	@Override
	public List<String> responseHeaders(String name) {
		return List.of();
	}

	@Override
	public String remoteUser() {
		return null;
	}

	@Override
	public String sessionId() {
		return null;
	}

	@Override
	public String threadName() {
		return Thread.currentThread().getName();
	}

	@Override
	public boolean keepAlive() {
		return false;
	}

	@Override
	public String toString() {
		return "unread request from " + this.remoteAddress + " answered " + this.status;
	}

}
