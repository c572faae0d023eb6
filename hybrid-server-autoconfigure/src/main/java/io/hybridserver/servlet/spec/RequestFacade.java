package io.hybridserver.servlet.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSession;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.HttpDates;
import io.hybridserver.http.HttpFields;
import io.hybridserver.servlet.core.AsyncSupportFlag;
import io.hybridserver.servlet.core.RequestTarget;
import io.hybridserver.servlet.core.ServletMatch;
import io.hybridserver.servlet.core.WebApplication;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;

/**
 * The application's {@link HttpServletRequest}. Protocol facts come from the {@link Exchange}; the dispatch facts
 * (servlet path, path info, mapping, dispatcher type, a forward's query) are set by the request flow and change
 * during forward and error dispatches. Parsing (parameters, cookies, locales, dates) is delegated to single-purpose
 * classes and done lazily, once.
 *
 * <p>Concerns with state of their own live beside it: addresses ({@link RequestAddresses}), the body, parameters and
 * parts ({@link RequestContent}), sessions ({@link RequestSession}) and asynchronous processing ({@link RequestAsync}).
 * Container security is not implemented: there is never a user.
 */
public final class RequestFacade extends UnsupportedRequestFeatures implements AsyncSupportFlag {

	private static final AtomicLong REQUEST_IDS = new AtomicLong();

	private static final VarHandle REQUEST_ID;

	static {
		try {
			REQUEST_ID = MethodHandles.lookup().findVarHandle(RequestFacade.class, "requestId", String.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static final Cookie[] NO_COOKIES = {};

	private final Exchange exchange;

	private final WebApplication application;

	private final ResponseFacade response;

	private final RequestTarget target;

	/**
	 * Numbered only when asked for: few applications ask, and a counter every worker increments for every request is a
	 * shared cache line. Unique all the same, which is what the spec asks; not in arrival order.
	 */
	private volatile String requestId;

	private final RequestAttributes attributes = new RequestAttributes();

	private DispatcherType dispatcherType = DispatcherType.REQUEST;

	private ServletMatch match;

	private String dispatchRequestUri;

	private String dispatchQueryString;

	private Map<String, String[]> dispatchParameters;

	private Cookie[] cookies;

	private List<Locale> locales;

	/** Made on first use, as are {@link #addresses}: many requests ask nothing of sessions or addresses. */
	private RequestSession sessions;

	/** Who carries on when the application goes asynchronous (the request's cycle). */
	private AsyncFlow asyncFlow;

	/** Whether the current dispatch passed a filter or a servlet that is not async-supported. */
	private volatile boolean asyncUnsupported;

	/** Made by the first {@code startAsync}: most requests never go asynchronous. */
	private volatile RequestAsync async;

	/** Made on first use: a GET that reads no parameters, body or encoding needs none. */
	private RequestContent content;

	private RequestAddresses addresses;

	private volatile ExchangeUpgradeHandler upgradeHandler;

	private boolean tlsAttributesLoaded;

	public RequestFacade(Exchange exchange, WebApplication application, RequestTarget target,
			ResponseFacade response) {
		this.exchange = exchange;
		this.application = application;
		this.target = target;
		this.response = response;
		// The PROXY header's TLVs (ProxyHeaderAttributes), usually none.
		Map<String, Object> connectionAttributes = exchange.connectionAttributes();
		if (!connectionAttributes.isEmpty()) {
			this.attributes.putAll(connectionAttributes);
		}
		response.request(this);
	}

	private RequestContent content() {
		if (this.content == null) {
			this.content = new RequestContent(this, this.application);
		}
		return this.content;
	}

	private RequestSession sessions() {
		if (this.sessions == null) {
			this.sessions = new RequestSession(this);
		}
		return this.sessions;
	}

	private RequestAddresses addresses() {
		if (this.addresses == null) {
			this.addresses = new RequestAddresses(this.exchange, this.application.deployment().getForwardedHeaders());
		}
		return this.addresses;
	}

	// ---- dispatch state, set by the request flow -------------------------------------------------------------------

	/** The state a dispatch changes, so that the dispatcher can put it back afterwards. */
	public record DispatchState(DispatcherType type, ServletMatch match, String requestUri, String queryString,
			Map<String, String[]> parameters) {
	}

	public DispatchState dispatchState() {
		return new DispatchState(this.dispatcherType, this.match, this.dispatchRequestUri, this.dispatchQueryString,
				this.dispatchParameters);
	}

	public void restore(DispatchState state) {
		this.dispatcherType = state.type();
		this.match = state.match();
		this.dispatchRequestUri = state.requestUri();
		this.dispatchQueryString = state.queryString();
		this.dispatchParameters = state.parameters();
	}

	/**
	 * Points the request at a new target for a forward or error dispatch.
	 * @param requestUri the new request URI (context path included), or {@code null} to keep the original
	 * @param queryString the dispatch's query, or {@code null} to keep the current one
	 */
	public void dispatchTo(DispatcherType type, ServletMatch match, String requestUri, String queryString) {
		this.dispatcherType = type;
		this.match = match;
		if (requestUri != null) {
			this.dispatchRequestUri = requestUri;
		}
		if (queryString != null) {
			Map<String, List<String>> parsed = new LinkedHashMap<>();
			RequestParameters.parseQuery(queryString, RequestParameters.QUERY_CHARSET, parsed,
					this.application.deployment().getMaxParameterCount(),
					this.application.deployment().isRejectInvalidParameters());
			this.dispatchParameters = RequestParameters.merge(RequestParameters.freeze(parsed), parameterMap());
			this.dispatchQueryString = queryString;
		}
	}

	/** Lets this request start asynchronous processing, which the given flow carries on with. */
	public void asyncFlow(AsyncFlow flow) {
		this.asyncFlow = flow;
	}

	/** The async context once {@code startAsync} has been called, else {@code null}. */
	public AsyncContextFacade asyncContext() {
		RequestAsync current = this.async;
		return (current != null) ? current.context() : null;
	}

	/** A container dispatch begins: async support is decided afresh by the filters and servlet it passes. */
	public void beginDispatch() {
		this.asyncUnsupported = false;
	}

	@Override
	public void asyncUnsupported() {
		this.asyncUnsupported = true;
	}

	// ---- upgrade (Servlet 6.1, 2.3.3.5)

	/**
	 * Upgrades the connection once the servlet returns. Only handlers that take the connection over on the I/O tier
	 * ({@link ExchangeUpgradeHandler}, as the WebSocket container's) are supported, and only on an HTTP/1.1 request
	 * that asked for an upgrade.
	 */
	@Override
	public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws ServletException {
		if (!ExchangeUpgradeHandler.class.isAssignableFrom(handlerClass)) {
			throw new ServletException("Only upgrades taken over by the I/O tier (" + ExchangeUpgradeHandler.class
				.getName() + ") are supported, not " + handlerClass.getName());
		}
		if (this.upgradeHandler != null || !this.exchange.canUpgrade()) {
			throw new IllegalStateException("This request cannot be upgraded: it did not ask for a WebSocket upgrade "
					+ "over HTTP/1.1, was upgraded already, or its response is committed");
		}
		T handler = this.application.instantiate(handlerClass);
		this.upgradeHandler = (ExchangeUpgradeHandler) handler;
		this.response.setStatus(101);
		return handler;
	}

	/** Whether {@link #upgrade} can succeed: an HTTP/1.1 request that asked for a WebSocket upgrade, not upgraded yet. */
	public boolean canUpgrade() {
		return this.upgradeHandler == null && this.exchange.canUpgrade();
	}

	/** The handler the request is to be upgraded to once the servlet returns, or {@code null}. */
	public ExchangeUpgradeHandler upgradeHandler() {
		return this.upgradeHandler;
	}

	/** Releases what the request holds beyond its lifetime (uploaded parts on disk); called once at its end. */
	public void cleanUp() {
		if (this.content != null) {
			this.content.releaseParts();
		}
	}

	public ServletMatch match() {
		return this.match;
	}

	public WebApplication application() {
		return this.application;
	}

	Exchange exchange() {
		return this.exchange;
	}

	public ResponseFacade response() {
		return this.response;
	}

	public RequestTarget target() {
		return this.target;
	}

	/** Writes a request attribute without listener events, for the container's own {@code jakarta.servlet.*} ones. */
	public void setContainerAttribute(String name, Object value) {
		if (value == null) {
			this.attributes.remove(name);
		}
		else {
			this.attributes.put(name, value);
		}
	}

	// ---- attributes -------------------------------------------------------------------------------------------------

	@Override
	public Object getAttribute(String name) {
		Object value = this.attributes.get(name);
		if (value == null && name != null && name.startsWith(TlsRequestAttributes.PREFIX) && loadTlsAttributes()) {
			value = this.attributes.get(name);
		}
		return value;
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		loadTlsAttributes();
		return Collections.enumeration(this.attributes.names());
	}

	/** Adds the TLS attributes once, on first interest; {@code true} if that added any. */
	private boolean loadTlsAttributes() {
		if (this.tlsAttributesLoaded) {
			return false;
		}
		this.tlsAttributesLoaded = true;
		SSLSession session = this.exchange.tlsSession();
		if (session == null) {
			return false;
		}
		TlsRequestAttributes.addTo(session, this.attributes::put);
		return true;
	}

	@Override
	public void setAttribute(String name, Object o) {
		if (name == null) {
			throw new IllegalArgumentException("Attribute name must not be null");
		}
		if (o == null) {
			removeAttribute(name);
			return;
		}
		Object old = this.attributes.put(name, o);
		for (ServletRequestAttributeListener listener : this.application.listeners().requestAttribute()) {
			if (old == null) {
				listener.attributeAdded(new ServletRequestAttributeEvent(getServletContext(), this, name, o));
			}
			else {
				listener.attributeReplaced(new ServletRequestAttributeEvent(getServletContext(), this, name, old));
			}
		}
	}

	@Override
	public void removeAttribute(String name) {
		Object old = this.attributes.remove(name);
		if (old != null) {
			for (ServletRequestAttributeListener listener : this.application.listeners().requestAttribute()) {
				listener.attributeRemoved(new ServletRequestAttributeEvent(getServletContext(), this, name, old));
			}
		}
	}

	// ---- protocol facts ---------------------------------------------------------------------------------------------

	@Override
	public String getMethod() {
		return this.exchange.method();
	}

	@Override
	public String getProtocol() {
		return this.exchange.protocol();
	}

	@Override
	public String getScheme() {
		return addresses().scheme();
	}

	@Override
	public boolean isSecure() {
		return addresses().isSecure();
	}

	@Override
	public String getRequestURI() {
		return (this.dispatchRequestUri != null) ? this.dispatchRequestUri : this.target.requestUri();
	}

	@Override
	public StringBuffer getRequestURL() {
		return addresses().url(getRequestURI());
	}

	@Override
	public String getContextPath() {
		return this.application.contextPath();
	}

	@Override
	public String getServletPath() {
		return (this.match != null) ? this.match.servletPath() : "";
	}

	@Override
	public String getPathInfo() {
		return (this.match != null) ? this.match.pathInfo() : null;
	}

	/** The path info under the document root, when there is both. */
	@Override
	public String getPathTranslated() {
		String pathInfo = getPathInfo();
		return (pathInfo != null) ? getServletContext().getRealPath(pathInfo) : null;
	}

	@Override
	public String getQueryString() {
		return (this.dispatchQueryString != null) ? this.dispatchQueryString : this.target.queryString();
	}

	@Override
	public HttpServletMapping getHttpServletMapping() {
		return this.match;
	}

	@Override
	public DispatcherType getDispatcherType() {
		return this.dispatcherType;
	}

	@Override
	public String getRemoteAddr() {
		return addresses().remoteAddr();
	}

	/**
	 * The client address a trusted proxy reported in forwarding headers, or {@code null}: what the access log prints
	 * for {@code %a} when it honours the remote-IP handling.
	 */
	public String forwardedRemoteAddr() {
		return addresses().forwardedRemoteAddr();
	}

	/** No reverse DNS lookup (it would block a worker on the network); the address, as Tomcat does by default. */
	@Override
	public String getRemoteHost() {
		return getRemoteAddr();
	}

	@Override
	public int getRemotePort() {
		return addresses().remotePort();
	}

	@Override
	public String getLocalName() {
		return addresses().localName();
	}

	@Override
	public String getLocalAddr() {
		return addresses().localAddr();
	}

	@Override
	public int getLocalPort() {
		return addresses().localPort();
	}

	@Override
	public String getServerName() {
		return addresses().serverName();
	}

	@Override
	public int getServerPort() {
		return addresses().serverPort();
	}

	@Override
	public String getRequestId() {
		String id = this.requestId;
		if (id != null) {
			return id;
		}
		// No lock (an application may ask on every request, from any worker): two threads that both ask first each
		// draw a number, and the first to store its number is the request's; the other number is simply not used.
		String drawn = Long.toString(REQUEST_IDS.incrementAndGet());
		String stored = (String) REQUEST_ID.compareAndExchange(this, null, drawn);
		return (stored != null) ? stored : drawn;
	}

	/** HTTP/1.1 has no protocol-level request id; HTTP/2 stream ids are not exposed by the Exchange yet. */
	@Override
	public String getProtocolRequestId() {
		return "";
	}

	@Override
	public ServletConnection getServletConnection() {
		return new ExchangeConnection(this.exchange);
	}

	// ---- headers --------------------------------------------------------------------------------------------------

	@Override
	public String getHeader(String name) {
		return this.exchange.requestHeaders().get(name);
	}

	@Override
	public Enumeration<String> getHeaders(String name) {
		return Collections.enumeration(this.exchange.requestHeaders().getAll(name));
	}

	@Override
	public Enumeration<String> getHeaderNames() {
		return Collections.enumeration(this.exchange.requestHeaders().names());
	}

	@Override
	public int getIntHeader(String name) {
		String value = getHeader(name);
		return (value != null) ? Integer.parseInt(value.trim()) : -1;
	}

	@Override
	public long getDateHeader(String name) {
		String value = getHeader(name);
		if (value == null) {
			return -1;
		}
		long date = HttpDates.parse(value);
		if (date == -1) {
			throw new IllegalArgumentException("Header " + name + " is not an HTTP date: " + value);
		}
		return date;
	}

	@Override
	public Cookie[] getCookies() {
		if (this.cookies == null) {
			// Asked on every request (the session lookup, the access log's %S): no lists for a request without any.
			HttpFields headers = this.exchange.requestHeaders();
			this.cookies = headers.contains("Cookie") ? CookieHeaderParser.parse(headers.getAll("Cookie")) : NO_COOKIES;
		}
		return (this.cookies.length == 0) ? null : this.cookies.clone();
	}

	@Override
	public Locale getLocale() {
		List<Locale> all = locales();
		return all.isEmpty() ? Locale.getDefault() : all.get(0);
	}

	@Override
	public Enumeration<Locale> getLocales() {
		List<Locale> all = locales();
		return Collections.enumeration(all.isEmpty() ? List.of(Locale.getDefault()) : all);
	}

	private List<Locale> locales() {
		if (this.locales == null) {
			// Spring's RequestContextFilter asks on every request; most API clients send no Accept-Language.
			HttpFields headers = this.exchange.requestHeaders();
			this.locales = headers.contains("Accept-Language") ? AcceptLanguage.parse(headers.getAll("Accept-Language"))
					: List.of();
		}
		return this.locales;
	}

	// ---- body, charset, parameters: kept in RequestContent ----------------------------------------------------

	@Override
	public String getCharacterEncoding() {
		return content().characterEncoding();
	}

	@Override
	public void setCharacterEncoding(String env) throws UnsupportedEncodingException {
		content().characterEncoding(env);
	}

	@Override
	public int getContentLength() {
		long length = getContentLengthLong();
		return (length > Integer.MAX_VALUE) ? -1 : (int) length;
	}

	/**
	 * The declared length, or {@code -1} when the request declares none, as Tomcat answers: also for a GET without a
	 * body, which HTTP/1.1's framing says has length 0 (the exchange's own figure, which the I/O tier goes by).
	 * Applications test {@code getContentLength() > 0} or {@code >= 0} to mean "a body was announced".
	 */
	@Override
	public long getContentLengthLong() {
		long length = this.exchange.requestContentLength();
		return (length == 0 && getHeader("Content-Length") == null) ? -1 : length;
	}

	@Override
	public String getContentType() {
		return getHeader("Content-Type");
	}

	@Override
	public ServletInputStream getInputStream() {
		return content().inputStream();
	}

	@Override
	public BufferedReader getReader() throws UnsupportedEncodingException {
		return content().reader();
	}

	@Override
	public String getParameter(String name) {
		String[] values = parameterMap().get(name);
		return (values != null && values.length > 0) ? values[0] : null;
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(parameterMap().keySet());
	}

	@Override
	public String[] getParameterValues(String name) {
		String[] values = parameterMap().get(name);
		return (values != null) ? values.clone() : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		return parameterMap();
	}

	/** A forward's or include's query parameters merged over the request's own, else the request's own. */
	private Map<String, String[]> parameterMap() {
		return (this.dispatchParameters != null) ? this.dispatchParameters : content().parameters();
	}

	// ---- multipart: kept in RequestParts -------------------------------------------------------------------------

	@Override
	public Collection<Part> getParts() throws IOException, ServletException {
		return content().parts().all();
	}

	@Override
	public Part getPart(String name) throws IOException, ServletException {
		return content().parts().get(name);
	}

	// ---- sessions: kept in RequestSession -----------------------------------------------------------------------

	@Override
	public HttpSession getSession(boolean create) {
		return sessions().getSession(create);
	}

	@Override
	public HttpSession getSession() {
		return sessions().getSession(true);
	}

	@Override
	public String changeSessionId() {
		return sessions().changeSessionId();
	}

	@Override
	public String getRequestedSessionId() {
		return sessions().requestedSessionId();
	}

	@Override
	public boolean isRequestedSessionIdValid() {
		return sessions().isRequestedSessionIdValid();
	}

	@Override
	public boolean isRequestedSessionIdFromCookie() {
		return sessions().isRequestedSessionIdFromCookie();
	}

	@Override
	public boolean isRequestedSessionIdFromURL() {
		return sessions().isRequestedSessionIdFromUrl();
	}

	/** {@code HttpServletResponse.encodeURL}'s answer for this request's session (URL session tracking). */
	String encodeUrl(String url) {
		return sessions().encodeUrl(url);
	}

	// ---- asynchronous processing: kept in RequestAsync and AsyncContextFacade ----------------------------------

	@Override
	public AsyncContext startAsync() {
		return startAsync(this, this.response);
	}

	@Override
	public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
		if (this.asyncUnsupported) {
			throw new IllegalStateException("A filter or servlet of this request is not async-supported; register "
					+ "it with asyncSupported=true to use startAsync");
		}
		RequestAsync current = this.async;
		if (current == null) {
			if (this.asyncFlow == null) {
				throw new IllegalStateException("Asynchronous processing is not available for this request");
			}
			current = new RequestAsync(this, this.asyncFlow);
			this.async = current;
		}
		return current.start(servletRequest, servletResponse);
	}

	@Override
	public boolean isAsyncStarted() {
		RequestAsync current = this.async;
		return current != null && current.isStarted();
	}

	@Override
	public boolean isAsyncSupported() {
		return !this.asyncUnsupported;
	}

	@Override
	public AsyncContext getAsyncContext() {
		RequestAsync current = this.async;
		if (current == null) {
			throw new IllegalStateException("Asynchronous processing has not been started");
		}
		return current.get();
	}

	/**
	 * Names in lower case, as the spec asks; a field sent more than once has its values joined with {@code ", "}
	 * (RFC 9110 5.3).
	 * @throws IllegalStateException before {@link #isTrailerFieldsReady()}
	 */
	@Override
	public Map<String, String> getTrailerFields() {
		if (!isTrailerFieldsReady()) {
			throw new IllegalStateException("Trailer fields are not ready: read the request body to its end first");
		}
		HttpFields trailers = this.exchange.requestTrailers();
		if (trailers.size() == 0) {
			return Collections.emptyMap();
		}
		Map<String, String> fields = new LinkedHashMap<>();
		for (Map.Entry<String, String> field : trailers) {
			fields.merge(field.getKey().toLowerCase(Locale.ROOT), field.getValue(), (a, b) -> a + ", " + b);
		}
		return fields;
	}

	/**
	 * True at once when the request cannot have trailers (HTTP/1.x with a Content-Length, or no body at all), else
	 * once the body has been read to its end, when its trailers (if any) have arrived.
	 */
	@Override
	public boolean isTrailerFieldsReady() {
		boolean http1 = this.exchange.protocol().startsWith("HTTP/1.");
		return (http1 && this.exchange.requestContentLength() >= 0) || this.exchange.requestBody().isFinished();
	}

	@Override
	public ServletContext getServletContext() {
		return this.application.servletContext();
	}

	@Override
	public RequestDispatcher getRequestDispatcher(String path) {
		if (path == null) {
			return null;
		}
		if (!path.startsWith("/")) {
			// Relative to the current servlet path plus path info, per spec 9.1.
			String current = getServletPath() + ((getPathInfo() != null) ? getPathInfo() : "");
			path = current.substring(0, current.lastIndexOf('/') + 1) + path;
		}
		return this.application.dispatchers().forPath(path);
	}

}
