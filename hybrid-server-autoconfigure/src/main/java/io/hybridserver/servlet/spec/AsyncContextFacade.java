package io.hybridserver.servlet.spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.servlet.core.ContainerThreads;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The request's {@link AsyncContext} and the state machine of spec 2.3.3.3. One per request, re-initialised by each
 * {@code startAsync}.
 *
 * <p>The rule that shapes it: a {@code dispatch()} or {@code complete()} called while a container dispatch is still
 * running (on the request thread itself, or from an application thread that was quick) only takes effect once that
 * dispatch has returned; called later, from any thread, it takes effect at once. So each transition is decided under
 * this object's lock, and the work it implies runs outside it: on the container thread that returns
 * ({@link #onDispatchReturned()}), on the caller's thread ({@code complete}), or on a container thread
 * ({@code dispatch}, the timeout).
 */
public final class AsyncContextFacade implements AsyncContext {

	private static final Log logger = LogFactory.getLog(AsyncContextFacade.class);

	/** What the container thread whose dispatch has just returned must do next. */
	public enum Next {

		/** Nothing more on this thread: someone else will dispatch or complete later. */
		WAIT,

		/** Run the ASYNC dispatch now, on this thread. */
		DISPATCH,

		/** Finish the response and end the exchange. */
		COMPLETE

	}

	private enum State {

		/** startAsync was called; the container dispatch is still on the stack. */
		STARTED,

		/** dispatch() was called before the container dispatch returned. */
		DISPATCH_PENDING,

		/** complete() was called before the container dispatch returned. */
		COMPLETE_PENDING,

		/** The container dispatch returned; waiting for dispatch(), complete() or the timeout. */
		WAITING,

		/** An ASYNC dispatch is running. */
		DISPATCHING,

		/** The request is finished or finishing. */
		COMPLETED

	}

	private record Registration(AsyncListener listener, ServletRequest request, ServletResponse response) {
	}

	private final RequestFacade facade;

	private final AsyncFlow flow;

	private final ContainerThreads threads;

	private final List<Registration> listeners = new ArrayList<>();

	private State state;

	private ServletRequest request;

	private ServletResponse response;

	private boolean original;

	private long timeoutMillis;

	private String dispatchPath;

	private String pathAtStart;

	private ScheduledFuture<?> timeoutTask;

	private int generation;

	AsyncContextFacade(RequestFacade facade, AsyncFlow flow, ContainerThreads threads, long defaultTimeoutMillis) {
		this.facade = facade;
		this.flow = flow;
		this.threads = threads;
		this.timeoutMillis = defaultTimeoutMillis;
	}

	// ---- transitions ------------------------------------------------------------------------------------------

	/** startAsync: allowed during the request's first dispatch or during an ASYNC dispatch. */
	void start(ServletRequest request, ServletResponse response, boolean original) {
		List<Registration> toNotify;
		synchronized (this) {
			if (this.state != null && this.state != State.DISPATCHING) {
				throw new IllegalStateException("startAsync is not allowed now: asynchronous processing is " + describe());
			}
			this.state = State.STARTED;
			this.request = request;
			this.response = response;
			this.original = original;
			this.dispatchPath = null;
			String info = this.facade.getPathInfo();
			this.pathAtStart = this.facade.getServletPath() + ((info != null) ? info : "");
			this.generation++;
			toNotify = new ArrayList<>(this.listeners);
			this.listeners.clear();
		}
		// A restart tells the listeners of the previous cycle, which may register themselves again (spec).
		for (Registration registration : toNotify) {
			try {
				registration.listener().onStartAsync(event(registration, null));
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("AsyncListener.onStartAsync failed", ex);
			}
		}
	}

	/** Called by the container thread whose dispatch (REQUEST or ASYNC) has just returned. */
	public Next onDispatchReturned() {
		synchronized (this) {
			switch (this.state) {
				case STARTED -> {
					this.state = State.WAITING;
					armTimeout();
					Throwable lost = this.flow.connectionLostCause();
					if (lost != null) {
						// The client left before there was anything to wait for: tell the listeners now.
						try {
							this.threads.executor().execute(() -> connectionLost(lost));
						}
						catch (RuntimeException ex) {
							// The container is stopping: its shutdown ends what is left.
						}
					}
					return Next.WAIT;
				}
				case DISPATCH_PENDING -> {
					this.state = State.DISPATCHING;
					return Next.DISPATCH;
				}
				default -> {
					// COMPLETE_PENDING, or an ASYNC dispatch that did not start async again.
					this.state = State.COMPLETED;
					return Next.COMPLETE;
				}
			}
		}
	}

	/**
	 * A dispatch failed with an exception: listeners hear {@code onError} and may complete or dispatch; if none does,
	 * the caller answers through the error pages and completes.
	 * @return {@code true} when a listener dispatched, so the flow continues with that dispatch instead
	 */
	public boolean onDispatchFailed(Throwable failure) {
		List<Registration> toNotify;
		synchronized (this) {
			if (this.state != State.STARTED) {
				return false;
			}
			toNotify = new ArrayList<>(this.listeners);
		}
		for (Registration registration : toNotify) {
			try {
				registration.listener().onError(event(registration, failure));
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("AsyncListener.onError failed", ex);
			}
		}
		synchronized (this) {
			if (this.state == State.DISPATCH_PENDING) {
				return true;
			}
			this.state = State.COMPLETE_PENDING;
			return false;
		}
	}

	/** Whether a startAsync of the current dispatch is still in force (the spec's {@code isAsyncStarted}). */
	public synchronized boolean isStarted() {
		return this.state == State.STARTED || this.state == State.WAITING || this.state == State.DISPATCH_PENDING
				|| this.state == State.COMPLETE_PENDING;
	}

	/** Whether the request has finished (or is finishing): nothing more may be dispatched. */
	public synchronized boolean isCompleted() {
		return this.state == State.COMPLETED;
	}

	/** Marks the request finished, whatever state it was in; used when the exchange is aborted. */
	public void abandon() {
		synchronized (this) {
			this.state = State.COMPLETED;
			cancelTimeout();
		}
	}

	@Override
	public void dispatch() {
		dispatchTo(null);
	}

	@Override
	public void dispatch(String path) {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("The dispatch path must start with '/': " + path);
		}
		dispatchTo(path);
	}

	@Override
	public void dispatch(ServletContext context, String path) {
		if (context != null && context != this.facade.getServletContext()) {
			throw new UnsupportedOperationException("Dispatching to another web application is not supported");
		}
		dispatch(path);
	}

	private void dispatchTo(String path) {
		synchronized (this) {
			switch (this.state) {
				case STARTED -> {
					this.state = State.DISPATCH_PENDING;
					this.dispatchPath = path;
					return;
				}
				case WAITING -> {
					this.state = State.DISPATCHING;
					this.dispatchPath = path;
					cancelTimeout();
				}
				default -> throw new IllegalStateException("dispatch is not allowed now: asynchronous processing is "
						+ describe());
			}
		}
		this.threads.executor().execute(this.flow::dispatchAsync);
	}

	@Override
	public void complete() {
		synchronized (this) {
			switch (this.state) {
				case STARTED -> {
					this.state = State.COMPLETE_PENDING;
					return;
				}
				case WAITING -> {
					this.state = State.COMPLETED;
					cancelTimeout();
				}
				case COMPLETE_PENDING, COMPLETED -> {
					return;
				}
				default -> throw new IllegalStateException("complete is not allowed now: asynchronous processing is "
						+ describe());
			}
		}
		this.flow.completeAsync();
	}

	// ---- timeout ----------------------------------------------------------------------------------------------

	private void armTimeout() {
		cancelTimeout();
		if (this.timeoutMillis > 0) {
			int armedFor = this.generation;
			this.timeoutTask = this.threads.schedule(() -> this.threads.executor().execute(() -> timeout(armedFor)),
					this.timeoutMillis);
		}
	}

	private void cancelTimeout() {
		if (this.timeoutTask != null) {
			this.timeoutTask.cancel(false);
			this.timeoutTask = null;
		}
	}

	private void timeout(int armedFor) {
		List<Registration> toNotify;
		synchronized (this) {
			if (this.state != State.WAITING || this.generation != armedFor) {
				return;
			}
			toNotify = new ArrayList<>(this.listeners);
		}
		for (Registration registration : toNotify) {
			try {
				registration.listener().onTimeout(event(registration, null));
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("AsyncListener.onTimeout failed", ex);
			}
		}
		synchronized (this) {
			if (this.state != State.WAITING || this.generation != armedFor) {
				// A listener completed or dispatched, as Spring MVC's does.
				return;
			}
			this.state = State.COMPLETED;
		}
		this.flow.timedOut();
	}

	/**
	 * The connection closed while the request waited (called on a container thread): listeners hear {@code onError}
	 * and may dispatch or complete, as Spring MVC's do; if none does, the request ends without an answer.
	 */
	public void connectionLost(Throwable cause) {
		List<Registration> toNotify;
		int armedFor;
		synchronized (this) {
			if (this.state != State.WAITING) {
				return;
			}
			armedFor = this.generation;
			toNotify = new ArrayList<>(this.listeners);
		}
		for (Registration registration : toNotify) {
			try {
				registration.listener().onError(event(registration, cause));
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("AsyncListener.onError failed", ex);
			}
		}
		synchronized (this) {
			if (this.state != State.WAITING || this.generation != armedFor) {
				return;
			}
			this.state = State.COMPLETED;
			cancelTimeout();
		}
		this.flow.connectionLost(cause);
	}

	/** Whether the request waits for an application thread (or the timeout) to go on. */
	public synchronized boolean isWaiting() {
		return this.state == State.WAITING;
	}

	// ---- listeners ----------------------------------------------------------------------------------------------

	/** Tells every listener that the request completed; the flow calls it once, after the response was finished. */
	public void fireOnComplete() {
		List<Registration> toNotify;
		synchronized (this) {
			toNotify = new ArrayList<>(this.listeners);
		}
		for (Registration registration : toNotify) {
			try {
				registration.listener().onComplete(event(registration, null));
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("AsyncListener.onComplete failed", ex);
			}
		}
	}

	private AsyncEvent event(Registration registration, Throwable failure) {
		ServletRequest req = (registration.request() != null) ? registration.request() : this.request;
		ServletResponse res = (registration.response() != null) ? registration.response() : this.response;
		return (failure != null) ? new AsyncEvent(this, req, res, failure) : new AsyncEvent(this, req, res);
	}

	@Override
	public void addListener(AsyncListener listener) {
		addListener(listener, null, null);
	}

	@Override
	public void addListener(AsyncListener listener, ServletRequest servletRequest, ServletResponse servletResponse) {
		if (listener == null) {
			throw new IllegalArgumentException("listener must not be null");
		}
		synchronized (this) {
			if (!isBeforeReturn()) {
				throw new IllegalStateException("Listeners can only be added before the dispatch that started "
						+ "asynchronous processing returns");
			}
			this.listeners.add(new Registration(listener, servletRequest, servletResponse));
		}
	}

	@Override
	public <T extends AsyncListener> T createListener(Class<T> type) throws ServletException {
		return this.facade.application().instantiate(type);
	}

	// ---- the rest of AsyncContext ---------------------------------------------------------------------------

	@Override
	public synchronized ServletRequest getRequest() {
		if (this.state == State.COMPLETED) {
			throw new IllegalStateException("The request has completed");
		}
		return this.request;
	}

	@Override
	public synchronized ServletResponse getResponse() {
		if (this.state == State.COMPLETED) {
			throw new IllegalStateException("The request has completed");
		}
		return this.response;
	}

	@Override
	public synchronized boolean hasOriginalRequestAndResponse() {
		return this.original;
	}

	@Override
	public void start(Runnable run) {
		this.threads.executor().execute(run);
	}

	@Override
	public synchronized void setTimeout(long timeout) {
		if (!isBeforeReturn()) {
			throw new IllegalStateException("The timeout can only be set before the dispatch that started "
					+ "asynchronous processing returns");
		}
		this.timeoutMillis = timeout;
	}

	@Override
	public synchronized long getTimeout() {
		return this.timeoutMillis;
	}

	/**
	 * Where the ASYNC dispatch goes: the path given to {@code dispatch(path)}, or for {@code dispatch()} the path the
	 * request was dispatched to when async started. Path within the context, optionally with a query.
	 */
	public synchronized String dispatchPath() {
		return (this.dispatchPath != null) ? this.dispatchPath : this.pathAtStart;
	}

	/** Whether the pending dispatch names a new path ({@code dispatch(path)}) rather than the original one. */
	public synchronized boolean dispatchesToNewPath() {
		return this.dispatchPath != null;
	}

	/** Whether the dispatch that called startAsync is still running (it may already have dispatched or completed). */
	private boolean isBeforeReturn() {
		return this.state == State.STARTED || this.state == State.DISPATCH_PENDING
				|| this.state == State.COMPLETE_PENDING;
	}

	private String describe() {
		return (this.state == null) ? "not started" : this.state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
	}

}
