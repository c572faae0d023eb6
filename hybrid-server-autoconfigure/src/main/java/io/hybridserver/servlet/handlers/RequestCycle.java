package io.hybridserver.servlet.handlers;

import java.io.IOException;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.http.ConnectionUpgrade;
import io.hybridserver.http.Exchange;
import io.hybridserver.servlet.core.ServletMatch;
import io.hybridserver.servlet.core.WebApplication;
import io.hybridserver.servlet.spec.AsyncContextFacade;
import io.hybridserver.servlet.spec.AsyncFlow;
import io.hybridserver.servlet.spec.ExchangeUpgradeHandler;
import io.hybridserver.servlet.spec.RequestFacade;
import io.hybridserver.servlet.spec.ResponseFacade;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * One request from its first dispatch to the end of its exchange, which may come later and on another thread when the
 * application goes asynchronous.
 *
 * <p>Every container dispatch (the REQUEST one, then any ASYNC ones) ends in {@link #afterDispatch}, which asks the
 * {@link AsyncContextFacade} what comes next: nothing on this thread (an application thread will dispatch or
 * complete), another dispatch right here, or the end: finish the response, tell the listeners, complete the exchange.
 * Whatever happens the exchange ends in {@code complete()} or {@code abort()} exactly once.
 */
final class RequestCycle implements AsyncFlow, Runnable {

	private static final Log logger = LogFactory.getLog(RequestCycle.class);

	private final WebApplication application;

	private final ErrorPageHandler errors;

	private final Exchange exchange;

	private final RequestFacade request;

	private final ResponseFacade response;

	/** Made for the first request listener: most requests have none to tell. */
	private ServletRequestEvent event;

	private int initialized;

	/** Set on an I/O thread when the client leaves before the exchange ended. */
	private volatile Throwable connectionLost;

	RequestCycle(WebApplication application, ErrorPageHandler errors, Exchange exchange, RequestFacade request,
			ResponseFacade response) {
		this.application = application;
		this.errors = errors;
		this.exchange = exchange;
		this.request = request;
		this.response = response;
		request.asyncFlow(this);
		// The cycle is the callback itself (run()): not a method reference made for every request.
		exchange.onConnectionLost(this);
	}

	/**
	 * On an I/O thread, the exchange's connection-lost callback: remembers that the client left, for a request that
	 * starts waiting later, and tells one that is waiting now, on a container thread.
	 */
	@Override
	public void run() {
		this.connectionLost = new java.nio.channels.ClosedChannelException() {

			private static final long serialVersionUID = 1L;

			@Override
			public String getMessage() {
				return "The client closed the connection before the response was complete";
			}

		};
		AsyncContextFacade async = this.request.asyncContext();
		if (async != null && async.isWaiting()) {
			Throwable cause = this.connectionLost;
			try {
				this.application.threads().executor().execute(() -> async.connectionLost(cause));
			}
			catch (RuntimeException ex) {
				// The container is stopping: its shutdown ends what is left.
			}
		}
	}

	private ServletRequestEvent event() {
		if (this.event == null) {
			this.event = new ServletRequestEvent(this.application.servletContext(), this.request);
		}
		return this.event;
	}

	@Override
	public Throwable connectionLostCause() {
		return this.connectionLost;
	}

	/** The REQUEST dispatch, on the worker that took the exchange. */
	void run(String pathInContext) throws IOException {
		boolean answered;
		try {
			// Indexed: an iterator per request over a list that is almost always empty.
			List<ServletRequestListener> listeners = this.application.listeners().request();
			for (int i = 0; i < listeners.size(); i++) {
				listeners.get(i).requestInitialized(event());
				this.initialized++;
			}
			answered = service(pathInContext);
		}
		catch (Throwable failure) {
			if (failure instanceof VirtualMachineError error) {
				throw error;
			}
			answered = this.errors.handleException(this.request, this.response, failure);
		}
		afterDispatch(answered);
	}

	private boolean service(String pathInContext) throws IOException {
		ServletMatch match = this.application.mapper().map(pathInContext);
		if (match == null) {
			this.response.sendError(404);
			return this.errors.handleSendError(this.request, this.response);
		}
		this.request.dispatchTo(DispatcherType.REQUEST, match, null, null);
		return runChain(DispatcherType.REQUEST, match, pathInContext, this.request, this.response);
	}

	/**
	 * Runs one dispatch's filter chain and whatever error page it calls for.
	 * @return {@code false} when the response is beyond repair and the exchange must be aborted
	 */
	private boolean runChain(DispatcherType type, ServletMatch match, String path, ServletRequest req,
			ServletResponse res) throws IOException {
		this.request.beginDispatch();
		try {
			this.application.filterChains().chain(type, match, path).doFilter(req, res);
		}
		catch (Throwable failure) {
			if (failure instanceof VirtualMachineError error) {
				throw error;
			}
			AsyncContextFacade async = this.request.asyncContext();
			if (async != null && async.onDispatchFailed(failure)) {
				// An AsyncListener answered onError with a dispatch (Spring MVC does): that dispatch handles it.
				return true;
			}
			return this.errors.handleException(this.request, this.response, failure);
		}
		if (this.response.isErrorSent() && !this.request.isAsyncStarted()) {
			return this.errors.handleSendError(this.request, this.response);
		}
		return true;
	}

	/** A container dispatch has returned: wait, dispatch again on this thread, or finish. */
	private void afterDispatch(boolean answered) throws IOException {
		while (true) {
			AsyncContextFacade async = this.request.asyncContext();
			if (!answered) {
				abort(new IllegalStateException("Response committed before the request failed"));
				return;
			}
			AsyncContextFacade.Next next = (async != null) ? async.onDispatchReturned() : AsyncContextFacade.Next.COMPLETE;
			switch (next) {
				case WAIT -> {
					return;
				}
				case COMPLETE -> {
					finish();
					return;
				}
				case DISPATCH -> answered = asyncDispatch(async);
			}
		}
	}

	/** The ASYNC dispatch (spec 2.3.3.3): to the path given to {@code dispatch}, or back to the original one. */
	private boolean asyncDispatch(AsyncContextFacade async) throws IOException {
		String target = async.dispatchPath();
		int q = target.indexOf('?');
		String path = (q >= 0) ? target.substring(0, q) : target;
		String query = (q >= 0) ? target.substring(q + 1) : null;
		if (this.request.getAttribute(AsyncContext.ASYNC_REQUEST_URI) == null) {
			this.request.setContainerAttribute(AsyncContext.ASYNC_REQUEST_URI, this.request.getRequestURI());
			this.request.setContainerAttribute(AsyncContext.ASYNC_CONTEXT_PATH, this.request.getContextPath());
			this.request.setContainerAttribute(AsyncContext.ASYNC_SERVLET_PATH, this.request.getServletPath());
			this.request.setContainerAttribute(AsyncContext.ASYNC_PATH_INFO, this.request.getPathInfo());
			this.request.setContainerAttribute(AsyncContext.ASYNC_QUERY_STRING, this.request.getQueryString());
			this.request.setContainerAttribute(AsyncContext.ASYNC_MAPPING, this.request.getHttpServletMapping());
		}
		ServletMatch match = this.application.mapper().map(path);
		if (match == null) {
			this.response.sendError(404);
			return this.errors.handleSendError(this.request, this.response);
		}
		String requestUri = async.dispatchesToNewPath() ? this.request.getContextPath() + path : null;
		this.request.dispatchTo(DispatcherType.ASYNC, match, requestUri, query);
		return runChain(DispatcherType.ASYNC, match, path, async.getRequest(), async.getResponse());
	}

	/** Sends what is left, tells the listeners, ends the exchange. */
	private void finish() throws IOException {
		if (this.response.isErrorSent() && !this.response.isCommitted()
				&& !this.errors.handleSendError(this.request, this.response)) {
			abort(new IllegalStateException("The error page failed after the response was committed"));
			return;
		}
		ExchangeUpgradeHandler upgrade = this.request.upgradeHandler();
		if (upgrade != null && this.response.getStatus() == 101 && !this.response.isCommitted()) {
			switchProtocols(upgrade);
			return;
		}
		abandonUpgrade();
		// An unread body is not read here, as Tomcat's swallow does: a client still sending would hold the answer and
		// this worker for as long as it trickled. The connection sends the answer at once and, if the body has not
		// fully arrived, closes after it (Connection: close), lingering so that the answer survives.
		this.response.finish();
		AsyncContextFacade async = this.request.asyncContext();
		if (async != null) {
			async.fireOnComplete();
		}
		requestDestroyed();
		this.request.cleanUp();
		describeForAccessLog();
		this.exchange.complete();
	}

	/**
	 * The request asked for an upgrade that will not happen (the answer is not a 101, or the request failed): what the
	 * upgrade reserved (a WebSocket session slot) is given back. Harmless when there was none or it was installed.
	 */
	private void abandonUpgrade() {
		ExchangeUpgradeHandler upgrade = this.request.upgradeHandler();
		ConnectionUpgrade connectionUpgrade = (upgrade != null) ? upgrade.connectionUpgrade() : null;
		if (connectionUpgrade != null) {
			connectionUpgrade.abandon();
		}
	}

	/** The request was upgraded: the 101 goes with the headers the application set, and the connection changes hands. */
	private void switchProtocols(ExchangeUpgradeHandler upgrade) {
		requestDestroyed();
		this.request.cleanUp();
		try {
			this.exchange.upgrade(upgrade.connectionUpgrade());
		}
		catch (RuntimeException ex) {
			// The connection closed between the 101 decision and now: the upgrade will never be installed.
			logger.debug("Could not switch protocols for " + this.exchange.target(), ex);
			abandonUpgrade();
			this.exchange.abort(ex);
		}
	}

	private void abort(Throwable cause) {
		abandonUpgrade();
		AsyncContextFacade async = this.request.asyncContext();
		if (async != null) {
			async.abandon();
		}
		describeForAccessLog();
		this.exchange.abort(cause);
		requestDestroyed();
		this.request.cleanUp();
	}

	/** The user and session only the container knows, for the access log's %u and %S. */
	private void describeForAccessLog() {
		if (!this.exchange.wantsDescription()) {
			// No access log: looking up the session (cookies parsed) and the forwarded client would be for nothing.
			return;
		}
		HttpSession session;
		try {
			session = this.request.getSession(false);
		}
		catch (IllegalStateException ex) {
			session = null;
		}
		String sessionId = null;
		if (session != null) {
			try {
				sessionId = session.getId();
			}
			catch (IllegalStateException ex) {
				// Invalidated while the request ran: no session to name.
			}
		}
		this.exchange.describe(this.request.getRemoteUser(), sessionId);
		String forwardedClient = this.request.forwardedRemoteAddr();
		if (forwardedClient != null) {
			this.exchange.describeForwardedClient(forwardedClient);
		}
	}

	private void requestDestroyed() {
		List<ServletRequestListener> listeners = this.application.listeners().request();
		for (int i = Math.min(this.initialized, listeners.size()) - 1; i >= 0; i--) {
			try {
				listeners.get(i).requestDestroyed(event());
			}
			catch (RuntimeException ex) {
				logger.warn("requestDestroyed failed", ex);
			}
		}
		this.initialized = 0;
	}

	// ---- AsyncFlow: called from application or container threads ---------------------------------------------

	@Override
	public void dispatchAsync() {
		guard(() -> afterDispatch(asyncDispatch(this.request.asyncContext())));
	}

	@Override
	public void completeAsync() {
		guard(this::finish);
	}

	@Override
	public void timedOut() {
		guard(() -> {
			if (this.response.isCommitted()) {
				// Part of the answer is out (a stream, events): ending it is all that can be done.
				finish();
				return;
			}
			this.response.sendError(500);
			if (this.errors.handleSendError(this.request, this.response)) {
				finish();
			}
			else {
				abort(new IllegalStateException("The error page failed after the response was committed"));
			}
		});
	}

	@Override
	public void connectionLost(Throwable cause) {
		guard(() -> {
			abort(cause);
			AsyncContextFacade async = this.request.asyncContext();
			if (async != null) {
				async.fireOnComplete();
			}
		});
	}

	private interface Step {

		void run() throws IOException;

	}

	/** Off the worker nothing may escape either: a failure aborts the exchange. */
	private void guard(Step step) {
		try {
			step.run();
		}
		catch (Throwable failure) {
			logger.error("Asynchronous processing of " + this.exchange.method() + " "
					+ this.exchange.target() + " failed", failure);
			abort(failure);
			if (failure instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

}
