package io.hybridserver.accesslog;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.hybridserver.http.CompletedExchange;

/**
 * A completed exchange with fixed values, for format tests: what the server's exchanges report, set by hand. A request
 * whose line was never read is the server's own {@link io.hybridserver.http.UnreadRequest}, not one of these.
 */
final class EndedExchange implements CompletedExchange {

	String method = "GET";

	String target = "/hello?name=x";

	String protocol = "HTTP/1.1";

	InetSocketAddress remote = new InetSocketAddress("192.0.2.7", 50123);

	InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);

	int status = 200;

	boolean aborted;

	boolean keepAlive = true;

	long bodyBytes = 1234;

	/** 2026-12-06T13:37:39.042Z */
	long startMillis = 1796564259042L;

	long durationNanos = TimeUnit.MICROSECONDS.toNanos(2_345_678);

	long commitNanos = TimeUnit.MILLISECONDS.toNanos(17);

	String remoteUser;

	String sessionId;

	String threadName = "hybrid-worker-3";

	String forwardedRemoteAddress;

	final Map<String, List<String>> requestHeaders = new LinkedHashMap<>();

	final Map<String, List<String>> responseHeaders = new LinkedHashMap<>();

	EndedExchange requestHeader(String name, String value) {
		this.requestHeaders.computeIfAbsent(name.toLowerCase(Locale.ROOT), (n) -> new ArrayList<>()).add(value);
		return this;
	}

	EndedExchange responseHeader(String name, String value) {
		this.responseHeaders.computeIfAbsent(name.toLowerCase(Locale.ROOT), (n) -> new ArrayList<>()).add(value);
		return this;
	}

	@Override
	public String forwardedRemoteAddress() {
		return this.forwardedRemoteAddress;
	}

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public String target() {
		return this.target;
	}

	@Override
	public String protocol() {
		return this.protocol;
	}

	@Override
	public String scheme() {
		return "http";
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
		return this.aborted;
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
		return this.durationNanos;
	}

	@Override
	public long commitNanos() {
		return this.commitNanos;
	}

	@Override
	public List<String> requestHeaders(String name) {
		return this.requestHeaders.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
	}

	@Override
	public List<String> responseHeaders(String name) {
		return this.responseHeaders.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
	}

	@Override
	public String remoteUser() {
		return this.remoteUser;
	}

	@Override
	public String sessionId() {
		return this.sessionId;
	}

	@Override
	public String threadName() {
		return this.threadName;
	}

	@Override
	public boolean keepAlive() {
		return this.keepAlive;
	}

}
