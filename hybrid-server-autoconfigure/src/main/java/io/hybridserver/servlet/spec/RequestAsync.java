package io.hybridserver.servlet.spec;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * One request's view of asynchronous processing: whether the current dispatch allows it (every filter and the servlet
 * were registered async-supported), and the {@link AsyncContextFacade} once {@code startAsync} has been called.
 */
final class RequestAsync {

	private final RequestFacade request;

	private AsyncFlow flow;

	private volatile AsyncContextFacade context;

	private volatile boolean supported = true;

	RequestAsync(RequestFacade request) {
		this.request = request;
	}

	void flow(AsyncFlow flow) {
		this.flow = flow;
	}

	AsyncContextFacade context() {
		return this.context;
	}

	void beginDispatch() {
		this.supported = true;
	}

	void unsupported() {
		this.supported = false;
	}

	boolean isSupported() {
		return this.supported;
	}

	AsyncContext start(ServletRequest servletRequest, ServletResponse servletResponse) {
		if (!this.supported) {
			throw new IllegalStateException("A filter or servlet of this request is not async-supported; register "
					+ "it with asyncSupported=true to use startAsync");
		}
		if (this.flow == null) {
			throw new IllegalStateException("Asynchronous processing is not available for this request");
		}
		AsyncContextFacade current = this.context;
		if (current == null) {
			current = new AsyncContextFacade(this.request, this.flow, this.request.application().threads(),
					this.request.application().deployment().getAsyncTimeout().toMillis());
			this.context = current;
		}
		boolean original = servletRequest == this.request && servletResponse == this.request.response();
		current.start(servletRequest, servletResponse, original);
		return current;
	}

	boolean isStarted() {
		AsyncContextFacade current = this.context;
		return current != null && current.isStarted();
	}

	AsyncContext get() {
		if (!isStarted()) {
			throw new IllegalStateException("Asynchronous processing has not been started");
		}
		return this.context;
	}

}
