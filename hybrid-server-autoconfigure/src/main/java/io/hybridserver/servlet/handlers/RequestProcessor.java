package io.hybridserver.servlet.handlers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import io.hybridserver.http.Exchange;
import io.hybridserver.servlet.core.ClientErrorException;
import io.hybridserver.servlet.core.RequestTarget;
import io.hybridserver.servlet.core.ServletMatch;
import io.hybridserver.servlet.core.WebApplication;
import io.hybridserver.servlet.spec.RequestFacade;
import io.hybridserver.servlet.spec.ResponseFacade;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;

/**
 * The life of one request, top to bottom: parse the target (400 when unsafe), build the facades, tell request
 * listeners, map, run the REQUEST filter chain, turn an escaped exception or a {@code sendError} into an error page,
 * then finish the response and complete the exchange. Whatever happens, the exchange ends in {@code complete()} or
 * {@code abort()}: {@link #process} never throws.
 */
public final class RequestProcessor {

	private static final System.Logger logger = System.getLogger(RequestProcessor.class.getName());

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
			logger.log(Level.ERROR, "Unexpected failure processing " + exchange.method() + " " + exchange.target(),
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
		String pathInContext = pathInContext(target.path());
		if (pathInContext == null) {
			// Outside this context: there is no application to ask, hence no error page.
			answerPlain(exchange, 404);
			return;
		}
		ResponseFacade response = new ResponseFacade(exchange, this.application);
		RequestFacade request = new RequestFacade(exchange, this.application, target, response);
		ServletRequestEvent event = new ServletRequestEvent(this.application.servletContext(), request);
		int initialized = 0;
		boolean answered = false;
		try {
			for (ServletRequestListener listener : this.application.listeners().request()) {
				listener.requestInitialized(event);
				initialized++;
			}
			answered = service(request, response, pathInContext);
		}
		catch (Throwable failure) {
			answered = this.errors.handleException(request, response, failure);
		}
		finally {
			java.util.List<ServletRequestListener> listeners = this.application.listeners().request();
			for (int i = Math.min(initialized, listeners.size()) - 1; i >= 0; i--) {
				try {
					listeners.get(i).requestDestroyed(event);
				}
				catch (RuntimeException ex) {
					logger.log(Level.WARNING, "requestDestroyed failed", ex);
				}
			}
		}
		if (!answered) {
			exchange.abort(new IllegalStateException("Response committed before the request failed"));
			return;
		}
		response.finish();
		exchange.complete();
	}

	/** Runs the REQUEST dispatch and whatever error page it calls for; {@code false} means abort. */
	private boolean service(RequestFacade request, ResponseFacade response, String pathInContext) throws IOException {
		ServletMatch match = this.application.mapper().map(pathInContext);
		if (match == null) {
			response.sendError(404);
		}
		else {
			try {
				request.dispatchTo(DispatcherType.REQUEST, match, null, null);
				this.application.filterChains()
					.chain(DispatcherType.REQUEST, match, pathInContext)
					.doFilter(request, response);
			}
			catch (Throwable failure) {
				if (failure instanceof VirtualMachineError error) {
					throw error;
				}
				return this.errors.handleException(request, response, failure);
			}
		}
		if (response.isErrorSent()) {
			return this.errors.handleSendError(request, response);
		}
		return true;
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

	private static void answerPlain(Exchange exchange, int status) throws IOException {
		byte[] body = (status + " " + ErrorPageHandler.reason(status) + "\n").getBytes(StandardCharsets.UTF_8);
		exchange.responseHeaders().set("Content-Type", "text/plain;charset=UTF-8");
		exchange.commit(status, body.length);
		exchange.write(body, 0, body.length);
		exchange.complete();
	}

}
