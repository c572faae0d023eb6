package io.hybridserver.servlet.core;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * One walk down a filter chain to its servlet. Not reusable: it remembers how far it got.
 */
final class ApplicationFilterChain implements FilterChain {

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
			holder.filter().doFilter(request, response, this);
			return;
		}
		this.servlet.servlet().service(request, response);
	}

}
