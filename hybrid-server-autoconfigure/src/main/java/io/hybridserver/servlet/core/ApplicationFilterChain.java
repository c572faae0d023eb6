package io.hybridserver.servlet.core;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;

/**
 * One walk down a filter chain to its servlet. Not reusable: it remembers how far it got; except a chain without
 * filters, which has nowhere to get to and is shared (see {@link ServletHolder#servletOnlyChain()}).
 */
final class ApplicationFilterChain implements FilterChain {

	static final FilterHolder[] NO_FILTERS = {};

	private final FilterHolder[] filters;

	private final ServletHolder servlet;

	private int position;

	ApplicationFilterChain(FilterHolder[] filters, ServletHolder servlet) {
		this.filters = filters;
		this.servlet = servlet;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
		if (this.position < this.filters.length) {
			FilterHolder holder = this.filters[this.position++];
			if (!holder.isAsyncSupported()) {
				asyncUnsupported(request);
			}
			holder.filter().doFilter(request, response, this);
			return;
		}
		if (!this.servlet.isAsyncSupported()) {
			asyncUnsupported(request);
		}
		this.servlet.servlet().service(request, response);
	}

	private static void asyncUnsupported(ServletRequest request) {
		ServletRequest current = request;
		while (current instanceof ServletRequestWrapper wrapper) {
			current = wrapper.getRequest();
		}
		if (current instanceof AsyncSupportFlag flag) {
			flag.asyncUnsupported();
		}
	}

}
