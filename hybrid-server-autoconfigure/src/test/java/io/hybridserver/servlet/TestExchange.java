package io.hybridserver.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpFields;
import io.hybridserver.http.RequestBody;

/**
 * An in-memory {@link Exchange}, like Jetty's LocalConnector: feeds one request and records what the container
 * committed and wrote, enforcing the contract (commit once, no writes after the end, write commits chunked 200).
 */
final class TestExchange implements Exchange {

	private final String method;

	private final String target;

	private final TestHttpFields requestHeaders = new TestHttpFields();

	private byte[] body = new byte[0];

	private int bodyPosition;

	private boolean declareLength = true;

	private String scheme = "http";

	private final TestHttpFields responseHeaders = new TestHttpFields();

	int status = -1;

	long contentLength = Long.MIN_VALUE;

	Map<String, List<String>> committedHeaders;

	final ByteArrayOutputStream written = new ByteArrayOutputStream();

	int commits;

	int flushes;

	boolean completed;

	Throwable aborted;

	TestExchange(String method, String target) {
		this.method = method;
		this.target = target;
	}

	static TestExchange get(String target) {
		return new TestExchange("GET", target).header("Host", "example.com:8080");
	}

	TestExchange header(String name, String value) {
		this.requestHeaders.add(name, value);
		return this;
	}

	TestExchange body(String text) {
		this.body = text.getBytes(StandardCharsets.UTF_8);
		return this;
	}

	TestExchange body(byte[] bytes) {
		this.body = bytes;
		return this;
	}

	TestExchange chunkedRequest() {
		this.declareLength = false;
		return this;
	}

	TestExchange secure() {
		this.scheme = "https";
		return this;
	}

	String bodyText() {
		return this.written.toString(StandardCharsets.UTF_8);
	}

	String header(String name) {
		for (Map.Entry<String, List<String>> entry : this.committedHeaders.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return entry.getValue().get(0);
			}
		}
		return null;
	}

	List<String> headers(String name) {
		for (Map.Entry<String, List<String>> entry : this.committedHeaders.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return entry.getValue();
			}
		}
		return List.of();
	}

	boolean ended() {
		return this.completed || this.aborted != null;
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
		return "HTTP/1.1";
	}

	@Override
	public HttpFields requestHeaders() {
		return this.requestHeaders.readOnly();
	}

	@Override
	public long requestContentLength() {
		return this.declareLength ? this.body.length : -1;
	}

	@Override
	public RequestBody requestBody() {
		return new RequestBody() {
			@Override
			public int read(byte[] bytes, int offset, int length) {
				if (TestExchange.this.bodyPosition >= TestExchange.this.body.length) {
					return -1;
				}
				int n = Math.min(length, TestExchange.this.body.length - TestExchange.this.bodyPosition);
				System.arraycopy(TestExchange.this.body, TestExchange.this.bodyPosition, bytes, offset, n);
				TestExchange.this.bodyPosition += n;
				return n;
			}

			@Override
			public int available() {
				return TestExchange.this.body.length - TestExchange.this.bodyPosition;
			}

			@Override
			public boolean isFinished() {
				return TestExchange.this.bodyPosition >= TestExchange.this.body.length;
			}
		};
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return new InetSocketAddress("192.0.2.7", 51234);
	}

	@Override
	public InetSocketAddress localAddress() {
		return new InetSocketAddress("127.0.0.1", 8080);
	}

	@Override
	public String scheme() {
		return this.scheme;
	}

	@Override
	public HttpFields responseHeaders() {
		return this.responseHeaders;
	}

	@Override
	public boolean isCommitted() {
		return this.status != -1;
	}

	@Override
	public void commit(int status, long contentLength) {
		if (isCommitted()) {
			throw new IllegalStateException("already committed");
		}
		if (ended()) {
			throw new IllegalStateException("exchange ended");
		}
		this.commits++;
		this.status = status;
		this.contentLength = contentLength;
		this.committedHeaders = new LinkedHashMap<>();
		for (Map.Entry<String, String> field : this.responseHeaders) {
			this.committedHeaders.computeIfAbsent(field.getKey(), (k) -> new java.util.ArrayList<>())
				.add(field.getValue());
		}
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		if (ended()) {
			throw new IOException("exchange ended");
		}
		if (!isCommitted()) {
			commit(200, -1);
		}
		this.written.write(bytes, offset, length);
		if (this.contentLength >= 0 && this.written.size() > this.contentLength) {
			throw new IllegalStateException("wrote more than the committed Content-Length");
		}
	}

	@Override
	public void flush() throws IOException {
		if (ended()) {
			throw new IOException("exchange ended");
		}
		this.flushes++;
	}

	@Override
	public void complete() {
		if (ended()) {
			return;
		}
		if (!isCommitted()) {
			commit(200, 0);
		}
		this.completed = true;
	}

	@Override
	public void abort(Throwable cause) {
		if (ended()) {
			return;
		}
		this.aborted = cause;
	}

	@Override
	public boolean isOpen() {
		return !ended();
	}

}
