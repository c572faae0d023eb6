package io.hybridserver.servlet.spec;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * One request's asynchronous processing once the application asked for it: the {@link AsyncContextFacade}, made by the
 * first {@code startAsync} and kept for the ones after (a request may go asynchronous again after a dispatch). Made by
 * that first call too: a request that never goes asynchronous carries none of this. Whether the current dispatch allows
 * it is the request's dispatch state ({@link RequestFacade#isAsyncSupported()}).
 */
final class RequestAsync {

	private final RequestFacade request;

	private final AsyncFlow flow;

	private volatile AsyncContextFacade context;

	RequestAsync(RequestFacade request, AsyncFlow flow) {
		this.request = request;
		this.flow = flow;
	}

	AsyncContextFacade context() {
		return this.context;
	}

	AsyncContext start(ServletRequest servletRequest, ServletResponse servletResponse) {
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
