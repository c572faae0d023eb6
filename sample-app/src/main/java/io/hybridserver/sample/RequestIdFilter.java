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

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.stereotype.Component;

/**
 * A servlet filter, registered as a bean the way applications do: it answers every request with an
 * {@code X-Request-Id}, the caller's own when it sent one. {@link RequestIdWebFilter} does the same for the reactive
 * mode.
 */
@Component
@ConditionalOnWebApplication(type = Type.SERVLET)
class RequestIdFilter implements Filter {

	static final String HEADER = "X-Request-Id";

	/** The caller's id when it is usable, else a new one. */
	static String idFor(String requested) {
		if (requested == null || requested.isBlank() || requested.length() > 64) {
			return UUID.randomUUID().toString();
		}
		return requested;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		String id = idFor(((HttpServletRequest) request).getHeader(HEADER));
		((HttpServletResponse) response).setHeader(HEADER, id);
		chain.doFilter(request, response);
	}

}
