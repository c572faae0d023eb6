package io.hybridserver.sample;

import java.io.IOException;
import java.util.UUID;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;

/**
 * A servlet filter, registered as a bean the way applications do: it answers every request with an
 * {@code X-Request-Id}, the caller's own when it sent one.
 */
@Component
class RequestIdFilter implements Filter {

	static final String HEADER = "X-Request-Id";

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		String id = ((HttpServletRequest) request).getHeader(HEADER);
		if (id == null || id.isBlank() || id.length() > 64) {
			id = UUID.randomUUID().toString();
		}
		((HttpServletResponse) response).setHeader(HEADER, id);
		chain.doFilter(request, response);
	}

}
