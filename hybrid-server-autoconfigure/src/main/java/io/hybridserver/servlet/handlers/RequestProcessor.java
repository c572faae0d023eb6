package io.hybridserver.servlet.handlers;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.http.Exchange;
import io.hybridserver.servlet.core.ClientErrorException;
import io.hybridserver.servlet.core.RequestTarget;
import io.hybridserver.servlet.core.WebApplication;
import io.hybridserver.servlet.spec.RequestFacade;
import io.hybridserver.servlet.spec.ResponseFacade;

/**
 * Where a request enters the container: parse the target (400 when unsafe), build the facades, and hand them to a
 * {@link RequestCycle}, which runs the dispatches and ends the exchange, now or (asynchronous processing) later.
 * {@link #process} never throws.
 */
public final class RequestProcessor {

	private static final Log logger = LogFactory.getLog(RequestProcessor.class);

	private final WebApplication application;

	private final ErrorPageHandler errors;

	public RequestProcessor(WebApplication application) {
		this.application = application;
		this.errors = new ErrorPageHandler(application);
	}

	public void process(Exchange exchange) {
		try {
			processOrThrow(exchange);
		}
		catch (Throwable failure) {
			// Nothing may escape to the worker with the exchange unanswered.
			logger.error("Unexpected failure processing " + exchange.method() + " " + exchange.target(),
					failure);
			exchange.abort(failure);
			if (failure instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

	private void processOrThrow(Exchange exchange) throws IOException {
		RequestTarget target;
		try {
			target = RequestTarget.parse(exchange.target());
		}
		catch (ClientErrorException ex) {
			answerPlain(exchange, ex.status());
			return;
		}
		if (target.requestUri().equals("*")) {
			// OPTIONS * asks about the server, not about a resource (RFC 9110 9.3.7): Tomcat answers it itself.
			exchange.responseHeaders().set("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS"
					+ (this.application.deployment().isAllowTrace() ? ", TRACE" : ""));
			exchange.commit(200, 0);
			exchange.complete();
			return;
		}
		String pathInContext = pathInContext(target.path());
		if (pathInContext == null) {
			// Outside this context: there is no application to ask, hence no error page.
			answerPlain(exchange, 404);
			return;
		}
		if (isContextPathItself(target.path())) {
			// Relative references in the root's page resolve against /api/, not against /: Tomcat's redirect.
			redirectToContextRoot(exchange, target.queryString());
			return;
		}
		ResponseFacade response = new ResponseFacade(exchange, this.application);
		RequestFacade request = new RequestFacade(exchange, this.application, target, response);
		new RequestCycle(this.application, this.errors, exchange, request, response).run(pathInContext);
	}

	private String pathInContext(String path) {
		String contextPath = this.application.contextPath();
		if (contextPath.isEmpty()) {
			return path;
		}
		if (path.equals(contextPath)) {
			return "/";
		}
		return path.startsWith(contextPath + "/") ? path.substring(contextPath.length()) : null;
	}

	private boolean isContextPathItself(String path) {
		String contextPath = this.application.contextPath();
		return !contextPath.isEmpty() && path.equals(contextPath)
				&& this.application.deployment().isRedirectContextRoot();
	}

	private void redirectToContextRoot(Exchange exchange, String query) throws IOException {
		String location;
		try {
			location = new URI(null, null, this.application.contextPath() + "/", null).toASCIIString();
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Context path " + this.application.contextPath() + " is no URI path", ex);
		}
		exchange.responseHeaders().set("Location", (query != null) ? location + "?" + query : location);
		exchange.commit(302, 0);
		exchange.complete();
	}

	private static void answerPlain(Exchange exchange, int status) throws IOException {
		byte[] body = (status + " " + ErrorPageHandler.reason(status) + "\n").getBytes(StandardCharsets.UTF_8);
		exchange.responseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
		exchange.commit(status, body.length);
		exchange.write(body, 0, body.length);
		exchange.complete();
	}

}
