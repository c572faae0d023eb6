package io.hybridserver.bench.jmh;

import java.net.InetSocketAddress;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpFields;
import io.hybridserver.http.RequestBody;

/**
 * An exchange that only carries a task, so that the hybrid dispatcher's hand-off can be measured without HTTP. The
 * dispatcher never looks inside an exchange on the path measured here.
 */
final class TaskExchange implements Exchange {

	final Runnable task;

	TaskExchange(Runnable task) {
		this.task = task;
	}

	@Override
	public String method() {
		return "GET";
	}

	@Override
	public String target() {
		return "/";
	}

	@Override
	public String protocol() {
		return "HTTP/1.1";
	}

	@Override
	public HttpFields requestHeaders() {
		throw new UnsupportedOperationException();
	}

	@Override
	public long requestContentLength() {
		return 0;
	}

	@Override
	public RequestBody requestBody() {
		throw new UnsupportedOperationException();
	}

	@Override
	public InetSocketAddress remoteAddress() {
		return null;
	}

	@Override
	public InetSocketAddress localAddress() {
		return null;
	}

	@Override
	public String scheme() {
		return "http";
	}

	@Override
	public HttpFields responseHeaders() {
		throw new UnsupportedOperationException();
	}

	@Override
	public boolean isCommitted() {
		return false;
	}

	@Override
	public void commit(int status, long contentLength) {
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
	}

	@Override
	public void flush() {
	}

	@Override
	public void complete() {
	}

	@Override
	public void abort(Throwable cause) {
	}

	@Override
	public boolean isOpen() {
		return true;
	}

}
