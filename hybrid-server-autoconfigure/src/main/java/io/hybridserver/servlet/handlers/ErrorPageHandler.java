package io.hybridserver.servlet.handlers;

import java.io.IOException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.http.RequestBodyTimeoutException;
import io.hybridserver.servlet.core.ClientErrorException;
import io.hybridserver.servlet.core.ServletMatch;
import io.hybridserver.servlet.core.WebApplication;
import io.hybridserver.servlet.spec.RequestFacade;
import io.hybridserver.servlet.spec.ResponseFacade;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Turns a failure into a response (spec 10.9): an exception escaping the chain, or {@code sendError}, becomes an ERROR
 * dispatch to the matching error page, with the {@code jakarta.servlet.error.*} attributes set and the buffer reset.
 * When there is no page, or the page fails, a minimal plain-text answer goes out instead: status and reason, never a
 * stack trace. When the response is already committed nothing honest can be sent, so the exchange is aborted.
 */
final class ErrorPageHandler {

	private static final Log logger = LogFactory.getLog(ErrorPageHandler.class);

	private final WebApplication application;

	ErrorPageHandler(WebApplication application) {
		this.application = application;
	}

	/**
	 * Answers an exception that escaped the filter chain.
	 * @return {@code false} when the response was already committed and the exchange must be aborted
	 */
	boolean handleException(RequestFacade request, ResponseFacade response, Throwable failure) throws IOException {
		ClientErrorException clientError = ClientErrorException.find(failure);
		int status = (clientError != null) ? clientError.status()
				: (rootCause(failure) instanceof UnavailableException) ? HttpServletResponse.SC_SERVICE_UNAVAILABLE
						// A request body the client sent too slowly is its fault, as Tomcat answers a read timeout.
						: RequestBodyTimeoutException.isCause(failure) ? HttpServletResponse.SC_REQUEST_TIMEOUT
								: HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
		if (status >= 500) {
			logger.error("Request " + request.getMethod() + " " + request.getRequestURI() + " failed",
					failure);
		}
		else {
			if (logger.isDebugEnabled()) {
				logger.debug("Request refused: " + failure.getMessage());
			}
		}
		if (response.isCommitted()) {
			return false;
		}
		Throwable exposed = (clientError != null) ? clientError : rootCause(failure);
		String location = (clientError == null) ? this.application.errorPages().forException(failure) : null;
		if (location == null) {
			location = this.application.errorPages().forStatus(status);
		}
		return dispatch(request, response, location, status, exposed, exposed.getMessage());
	}

	/**
	 * Answers a {@code sendError}.
	 * @return {@code false} when the exchange must be aborted
	 */
	boolean handleSendError(RequestFacade request, ResponseFacade response) throws IOException {
		int status = response.getStatus();
		String location = this.application.errorPages().forStatus(status);
		return dispatch(request, response, location, status, null, response.errorMessage());
	}

	private boolean dispatch(RequestFacade request, ResponseFacade response, String location, int status,
			Throwable exception, String message) throws IOException {
		ServletMatch match = null;
		String path = null;
		String query = null;
		if (location != null) {
			int q = location.indexOf('?');
			path = (q >= 0) ? location.substring(0, q) : location;
			query = (q >= 0) ? location.substring(q + 1) : null;
			match = this.application.mapper().map(path);
		}
		if (match == null) {
			response.writeMinimalError(status, reason(status));
			return true;
		}
		response.prepareForErrorPage(status);
		request.setContainerAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		request.setContainerAttribute(RequestDispatcher.ERROR_EXCEPTION, exception);
		request.setContainerAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE,
				(exception != null) ? exception.getClass() : null);
		request.setContainerAttribute(RequestDispatcher.ERROR_MESSAGE, (message != null) ? message : "");
		request.setContainerAttribute(RequestDispatcher.ERROR_REQUEST_URI, request.getRequestURI());
		request.setContainerAttribute(RequestDispatcher.ERROR_QUERY_STRING, request.getQueryString());
		request.setContainerAttribute(RequestDispatcher.ERROR_METHOD, request.getMethod());
		request.setContainerAttribute(RequestDispatcher.ERROR_SERVLET_NAME,
				(request.match() != null) ? request.match().getServletName() : "");
		if (request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) == null) {
			// Tomcat runs an error page as a forward, so its forward attributes name the original request too; Spring
			// reads them (UrlPathHelper.getOriginatingRequestUri) to guard against reflected file downloads.
			request.setContainerAttribute(RequestDispatcher.FORWARD_REQUEST_URI, request.getRequestURI());
			request.setContainerAttribute(RequestDispatcher.FORWARD_CONTEXT_PATH, request.getContextPath());
			request.setContainerAttribute(RequestDispatcher.FORWARD_SERVLET_PATH, request.getServletPath());
			request.setContainerAttribute(RequestDispatcher.FORWARD_PATH_INFO, request.getPathInfo());
			request.setContainerAttribute(RequestDispatcher.FORWARD_QUERY_STRING, request.getQueryString());
			request.setContainerAttribute(RequestDispatcher.FORWARD_MAPPING, request.getHttpServletMapping());
		}
		try {
			request.dispatchTo(DispatcherType.ERROR, match, request.getContextPath() + path, query);
			this.application.filterChains().chain(DispatcherType.ERROR, match, path).doFilter(request, response);
		}
		catch (Throwable pageFailure) {
			logger.error("Error page " + location + " failed", pageFailure);
			if (response.isCommitted()) {
				return false;
			}
			response.writeMinimalError(status, reason(status));
			return true;
		}
		if (response.isErrorSent() && !response.isCommitted()) {
			// The error page itself called sendError: answer plainly rather than loop.
			response.writeMinimalError(response.getStatus(), reason(response.getStatus()));
		}
		return true;
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable t = failure;
		while (t instanceof ServletException se && se.getRootCause() != null && se.getRootCause() != se) {
			t = se.getRootCause();
		}
		return t;
	}

	static String reason(int status) {
		return switch (status) {
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 406 -> "Not Acceptable";
			case 408 -> "Request Timeout";
			case 409 -> "Conflict";
			case 413 -> "Content Too Large";
			case 414 -> "URI Too Long";
			case 415 -> "Unsupported Media Type";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 501 -> "Not Implemented";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> (status >= 500) ? "Server Error" : (status >= 400) ? "Client Error" : "";
		};
	}

}
