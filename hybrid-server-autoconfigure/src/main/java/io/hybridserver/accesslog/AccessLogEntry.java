package io.hybridserver.accesslog;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Function;

import io.hybridserver.http.CompletedExchange;

/**
 * What one line is made of, copied from a {@link CompletedExchange} on the event loop: plain values only, so that the
 * writer thread can format it later while the connection goes on. Header values are captured only for the names the
 * pattern uses.
 */
final class AccessLogEntry {

	/** {@code null}, as target and protocol, when the I/O tier refused a head it could not read. */
	final String method;

	final String target;

	final String protocol;

	final String scheme;

	final InetSocketAddress remote;

	/** The client a trusted proxy reported, when the log honours it (request-attributes-enabled); else {@code null}. */
	final String forwardedRemote;

	final InetSocketAddress local;

	final int status;

	final boolean aborted;

	final boolean keepAlive;

	final long bodyBytes;

	final long startMillis;

	final long durationNanos;

	final long commitNanos;

	final String remoteUser;

	final String sessionId;

	final String threadName;

	/** Values of the pattern's request headers, by {@link AccessLogPattern#requestHeaderNames()} index. */
	final String[] requestHeaders;

	/** Values of the pattern's response headers, by {@link AccessLogPattern#responseHeaderNames()} index. */
	final String[] responseHeaders;

	AccessLogEntry(CompletedExchange exchange, List<String> requestHeaderNames, List<String> responseHeaderNames,
			boolean forwardedClient) {
		boolean lineRead = exchange.requestLineRead();
		this.method = lineRead ? exchange.method() : null;
		this.target = lineRead ? exchange.target() : null;
		this.protocol = lineRead ? exchange.protocol() : null;
		this.scheme = exchange.scheme();
		this.remote = exchange.remoteAddress();
		this.forwardedRemote = forwardedClient ? exchange.forwardedRemoteAddress() : null;
		this.local = exchange.localAddress();
		this.status = exchange.status();
		this.aborted = exchange.aborted();
		this.keepAlive = exchange.keepAlive();
		this.bodyBytes = exchange.bodyBytes();
		this.startMillis = exchange.startMillis();
		this.durationNanos = exchange.durationNanos();
		this.commitNanos = exchange.commitNanos();
		this.remoteUser = exchange.remoteUser();
		this.sessionId = exchange.sessionId();
		this.threadName = exchange.threadName();
		this.requestHeaders = capture(requestHeaderNames, exchange::requestHeaders);
		this.responseHeaders = capture(responseHeaderNames, exchange::responseHeaders);
	}

	private static String[] capture(List<String> names, Function<String, List<String>> values) {
		String[] captured = new String[names.size()];
		for (int i = 0; i < captured.length; i++) {
			List<String> all = values.apply(names.get(i));
			// Tomcat joins a repeated header's values with commas; cookies are joined as one Cookie header would be.
			String separator = "cookie".equalsIgnoreCase(names.get(i)) ? "; " : ",";
			captured[i] = all.isEmpty() ? null : (all.size() == 1) ? all.get(0) : String.join(separator, all);
		}
		return captured;
	}

}
