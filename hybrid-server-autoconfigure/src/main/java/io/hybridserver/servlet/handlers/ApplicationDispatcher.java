package io.hybridserver.servlet.handlers;

import java.io.IOException;

import io.hybridserver.servlet.core.ServletMatch;
import io.hybridserver.servlet.core.WebApplication;
import io.hybridserver.servlet.spec.RequestFacade;
import io.hybridserver.servlet.spec.ResponseFacade;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A {@link RequestDispatcher} for a path or a named servlet. Forward repoints the request (paths, mapping, query),
 * exposes the original values as {@code jakarta.servlet.forward.*} attributes, runs the FORWARD filter chain and puts
 * everything back afterwards. Include leaves the paths alone, exposes the target as
 * {@code jakarta.servlet.include.*} attributes and hands the target a response that ignores head changes.
 */
final class ApplicationDispatcher implements RequestDispatcher {

	private final WebApplication application;

	private final ServletMatch match;

	/** Path within the context; {@code null} for a named dispatcher. */
	private final String path;

	private final String queryString;

	ApplicationDispatcher(WebApplication application, ServletMatch match, String path, String queryString) {
		this.application = application;
		this.match = match;
		this.path = path;
		this.queryString = queryString;
	}

	private boolean isNamed() {
		return this.path == null;
	}

	@Override
	public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
		RequestFacade facade = Facades.request(request);
		ResponseFacade responseFacade = Facades.response(response);
		if (responseFacade.isCommitted()) {
			throw new IllegalStateException("Cannot forward: the response is committed");
		}
		responseFacade.resetBuffer();
		RequestFacade.DispatchState saved = facade.dispatchState();
		boolean setAttributes = !isNamed() && facade.getAttribute(FORWARD_REQUEST_URI) == null;
		if (setAttributes) {
			facade.setContainerAttribute(FORWARD_REQUEST_URI, facade.getRequestURI());
			facade.setContainerAttribute(FORWARD_CONTEXT_PATH, facade.getContextPath());
			facade.setContainerAttribute(FORWARD_SERVLET_PATH, facade.getServletPath());
			facade.setContainerAttribute(FORWARD_PATH_INFO, facade.getPathInfo());
			facade.setContainerAttribute(FORWARD_QUERY_STRING, facade.getQueryString());
			facade.setContainerAttribute(FORWARD_MAPPING, facade.getHttpServletMapping());
		}
		try {
			if (isNamed()) {
				facade.dispatchTo(DispatcherType.FORWARD, ServletMatch.named(this.match.holder(),
						facade.getServletPath(), facade.getPathInfo()), null, null);
			}
			else {
				facade.dispatchTo(DispatcherType.FORWARD, this.match, facade.getContextPath() + this.path,
						this.queryString);
			}
			this.application.filterChains()
				.chain(DispatcherType.FORWARD, this.match, this.path)
				.doFilter(request, response);
		}
		finally {
			facade.restore(saved);
			if (setAttributes) {
				for (String name : new String[] { FORWARD_REQUEST_URI, FORWARD_CONTEXT_PATH, FORWARD_SERVLET_PATH,
						FORWARD_PATH_INFO, FORWARD_QUERY_STRING, FORWARD_MAPPING }) {
					facade.setContainerAttribute(name, null);
				}
			}
		}
		// The spec: when forward returns, the response has been sent and closed, unless an error page must follow.
		if (!responseFacade.isErrorSent()) {
			responseFacade.finish();
		}
	}

	@Override
	public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
		RequestFacade facade = Facades.request(request);
		RequestFacade.DispatchState saved = facade.dispatchState();
		String[] names = { INCLUDE_REQUEST_URI, INCLUDE_CONTEXT_PATH, INCLUDE_SERVLET_PATH, INCLUDE_PATH_INFO,
				INCLUDE_QUERY_STRING, INCLUDE_MAPPING };
		Object[] previous = new Object[names.length];
		for (int i = 0; i < names.length; i++) {
			previous[i] = facade.getAttribute(names[i]);
		}
		if (!isNamed()) {
			facade.setContainerAttribute(INCLUDE_REQUEST_URI, facade.getContextPath() + this.path);
			facade.setContainerAttribute(INCLUDE_CONTEXT_PATH, facade.getContextPath());
			facade.setContainerAttribute(INCLUDE_SERVLET_PATH, this.match.servletPath());
			facade.setContainerAttribute(INCLUDE_PATH_INFO, this.match.pathInfo());
			facade.setContainerAttribute(INCLUDE_QUERY_STRING, this.queryString);
			facade.setContainerAttribute(INCLUDE_MAPPING, this.match);
		}
		try {
			// Paths stay the including request's (spec 9.3.1); only the dispatcher type and parameters change.
			facade.dispatchTo(DispatcherType.INCLUDE, saved.match(), null, this.queryString);
			HttpServletResponse included = new IncludeResponse(
					(response instanceof HttpServletResponse http) ? http : Facades.response(response));
			this.application.filterChains()
				.chain(DispatcherType.INCLUDE, this.match, this.path)
				.doFilter(request, included);
		}
		finally {
			facade.restore(saved);
			for (int i = 0; i < names.length; i++) {
				facade.setContainerAttribute(names[i], previous[i]);
			}
		}
	}

}
