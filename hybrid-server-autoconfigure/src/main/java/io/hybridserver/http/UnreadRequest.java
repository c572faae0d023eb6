package io.hybridserver.http;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A request the I/O tier answered before its head was read whole (408 when the head did not arrive in time): no
 * method, target, protocol or header, only the connection and the answer. What the completion listener hears instead
 * of an exchange, so that the access log has a line for it, as Tomcat's has.
 */
public final class UnreadRequest implements CompletedExchange {

	private final InetSocketAddress remote;

	private final InetSocketAddress local;

	private final String scheme;

	private final int status;

	private final long bodyBytes;

	private final long startMillis = System.currentTimeMillis();

	/**
	 * @param remote the client (or the PROXY header's)
	 * @param local the address the connection was accepted on
	 * @param scheme {@code http} or {@code https}
	 * @param status the status the I/O tier answered
	 * @param bodyBytes the answer's body bytes
	 */
	public UnreadRequest(InetSocketAddress remote, InetSocketAddress local, String scheme, int status, long bodyBytes) {
		this.remote = remote;
		this.local = local;
		this.scheme = scheme;
		this.status = status;
		this.bodyBytes = bodyBytes;
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
	public String scheme() {
		return this.scheme;
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return this.remote;
	}

	@Override
	public InetSocketAddress localAddress() {
		return this.local;
	}

	@Override
	public int status() {
		return this.status;
	}

	@Override
	public boolean aborted() {
		return false;
	}

	@Override
	public long bodyBytes() {
		return this.bodyBytes;
	}

	@Override
	public long startMillis() {
		return this.startMillis;
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
		return "unread request from " + this.remote + " answered " + this.status;
	}

}
