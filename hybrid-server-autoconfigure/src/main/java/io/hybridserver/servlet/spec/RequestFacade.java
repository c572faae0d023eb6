package io.hybridserver.servlet.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.hybridserver.http.Exchange;
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
import jakarta.servlet.ServletRequestAttributeEvent;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestAttributeListener;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.Part;

/**
 * The application's {@link HttpServletRequest}. Protocol facts come from the {@link Exchange}; the dispatch facts
 * (servlet path, path info, mapping, dispatcher type, a forward's query) are set by the request flow and change
 * during forward and error dispatches. Parsing (parameters, cookies, locales, dates) is delegated to single-purpose
 * classes and done lazily, once.
 *
 * <p>Asynchronous processing, multipart parts and container security are not implemented yet: {@link #startAsync}
 * throws {@link IllegalStateException}, {@link #getParts} throws {@link ServletException}, and there is never a user.
 */
public final class RequestFacade extends UnsupportedRequestFeatures implements AsyncSupportFlag {

	private static final AtomicLong REQUEST_IDS = new AtomicLong();

	private final Exchange exchange;

	private final WebApplication application;

	private final ResponseFacade response;

	private final RequestTarget target;

	private final String requestId = Long.toString(REQUEST_IDS.incrementAndGet());

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private DispatcherType dispatcherType = DispatcherType.REQUEST;

	private ServletMatch match;

	private String dispatchRequestUri;

	private String dispatchQueryString;

	private Map<String, String[]> dispatchParameters;

	private Map<String, String[]> parameters;

	private String characterEncoding;

	private boolean characterEncodingResolved;

	private RequestInputStream inputStream;

	private BufferedReader reader;

	private Cookie[] cookies;

	private List<Locale> locales;

	private final RequestSession sessions;

	private final RequestAsync async = new RequestAsync(this);

	private final RequestParts parts = new RequestParts(this);

	private ForwardedHeaders.Origin origin;

	private boolean originResolved;

	public RequestFacade(Exchange exchange, WebApplication application, RequestTarget target,
			ResponseFacade response) {
		this.exchange = exchange;
		this.application = application;
		this.target = target;
		this.response = response;
		this.sessions = new RequestSession(this);
		response.request(this);
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
					this.application.deployment().getMaxParameterCount());
			this.dispatchParameters = RequestParameters.merge(RequestParameters.freeze(parsed), parameterMap());
			this.dispatchQueryString = queryString;
		}
	}

	/** Lets this request start asynchronous processing, which the given flow carries on with. */
	public void asyncFlow(AsyncFlow flow) {
		this.async.flow(flow);
	}

	/** The async context once {@code startAsync} has been called, else {@code null}. */
	public AsyncContextFacade asyncContext() {
		return this.async.context();
	}

	/** A container dispatch begins: async support is decided afresh by the filters and servlet it passes. */
	public void beginDispatch() {
		this.async.beginDispatch();
	}

	@Override
	public void asyncUnsupported() {
		this.async.unsupported();
	}

	/** Bytes of the body the application (or the container's parsing for it) has read so far. */
	public long bodyBytesRead() {
		return (this.inputStream != null) ? this.inputStream.bytesRead() : 0;
	}

	/** Releases what the request holds beyond its lifetime (uploaded parts on disk); called once at its end. */
	public void cleanUp() {
		this.parts.release();
	}

	public ServletMatch match() {
		return this.match;
	}

	public WebApplication application() {
		return this.application;
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
		return this.attributes.get(name);
	}

	@Override
	public Enumeration<String> getAttributeNames() {
		return Collections.enumeration(new ArrayList<>(this.attributes.keySet()));
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

	/** What a trusted proxy said about the original request, or {@code null}; resolved once. */
	private ForwardedHeaders.Origin origin() {
		if (!this.originResolved) {
			ForwardedHeaders forwarded = this.application.deployment().getForwardedHeaders();
			this.origin = (forwarded != null) ? forwarded.resolve(peerAddress(), this.exchange.requestHeaders()) : null;
			this.originResolved = true;
		}
		return this.origin;
	}

	private String peerAddress() {
		InetSocketAddress remote = this.exchange.remoteAddress();
		return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
	}

	@Override
	public String getScheme() {
		ForwardedHeaders.Origin origin = origin();
		return (origin != null && origin.scheme() != null) ? origin.scheme() : this.exchange.scheme();
	}

	@Override
	public boolean isSecure() {
		return "https".equalsIgnoreCase(getScheme());
	}

	@Override
	public String getRequestURI() {
		return (this.dispatchRequestUri != null) ? this.dispatchRequestUri : this.target.requestUri();
	}

	@Override
	public StringBuffer getRequestURL() {
		StringBuffer url = new StringBuffer(64);
		String scheme = getScheme();
		int port = getServerPort();
		String host = getServerName();
		url.append(scheme).append("://").append((host.indexOf(':') >= 0) ? "[" + host + "]" : host);
		if (!(("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443))) {
			url.append(':').append(port);
		}
		return url.append(getRequestURI());
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

	/** There is no document root, so no path can be translated. */
	@Override
	public String getPathTranslated() {
		return null;
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
		ForwardedHeaders.Origin origin = origin();
		return (origin != null && origin.remoteAddr() != null) ? origin.remoteAddr() : peerAddress();
	}

	/** No reverse DNS lookup (it would block a worker on the network); the address, as Tomcat does by default. */
	@Override
	public String getRemoteHost() {
		return getRemoteAddr();
	}

	@Override
	public int getRemotePort() {
		return this.exchange.remoteAddress().getPort();
	}

	@Override
	public String getLocalName() {
		return this.exchange.localAddress().getHostString();
	}

	@Override
	public String getLocalAddr() {
		InetSocketAddress local = this.exchange.localAddress();
		return (local.getAddress() != null) ? local.getAddress().getHostAddress() : local.getHostString();
	}

	@Override
	public int getLocalPort() {
		return this.exchange.localAddress().getPort();
	}

	@Override
	public String getServerName() {
		ForwardedHeaders.Origin origin = origin();
		if (origin != null && origin.host() != null) {
			return origin.host();
		}
		String host = this.exchange.requestHeaders().get("Host");
		if (host == null || host.isBlank()) {
			return getLocalName();
		}
		host = host.trim();
		if (host.startsWith("[")) {
			int close = host.indexOf(']');
			return (close > 0) ? host.substring(1, close) : host;
		}
		int colon = host.indexOf(':');
		return (colon >= 0) ? host.substring(0, colon) : host;
	}

	@Override
	public int getServerPort() {
		ForwardedHeaders.Origin origin = origin();
		if (origin != null && origin.port() > 0) {
			return origin.port();
		}
		String host = this.exchange.requestHeaders().get("Host");
		if (host == null || host.isBlank()) {
			return getLocalPort();
		}
		host = host.trim();
		int colon = host.lastIndexOf(':');
		if (colon >= 0 && colon > host.lastIndexOf(']')) {
			try {
				return Integer.parseInt(host.substring(colon + 1));
			}
			catch (NumberFormatException ex) {
				return getLocalPort();
			}
		}
		return isSecure() ? 443 : 80;
	}

	@Override
	public String getRequestId() {
		return this.requestId;
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
			this.cookies = CookieHeaderParser.parse(this.exchange.requestHeaders().getAll("Cookie"));
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
			this.locales = AcceptLanguage.parse(this.exchange.requestHeaders().getAll("Accept-Language"));
		}
		return this.locales;
	}

	// ---- body, charset, parameters ----------------------------------------------------------------------------------

	@Override
	public String getCharacterEncoding() {
		if (!this.characterEncodingResolved) {
			String declared = ContentTypes.charset(getContentType());
			this.characterEncoding = (declared != null) ? declared : this.application.requestCharacterEncoding();
			this.characterEncodingResolved = true;
		}
		return this.characterEncoding;
	}

	@Override
	public void setCharacterEncoding(String env) throws UnsupportedEncodingException {
		if (this.reader != null) {
			return;
		}
		if (env != null) {
			charset(env);
		}
		this.characterEncoding = env;
		this.characterEncodingResolved = true;
	}

	private static Charset charset(String name) throws UnsupportedEncodingException {
		try {
			return Charset.forName(name);
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			throw new UnsupportedEncodingException(name);
		}
	}

	private Charset bodyCharset() {
		String encoding = getCharacterEncoding();
		if (encoding == null) {
			return StandardCharsets.ISO_8859_1;
		}
		try {
			return charset(encoding);
		}
		catch (UnsupportedEncodingException ex) {
			return StandardCharsets.ISO_8859_1;
		}
	}

	@Override
	public int getContentLength() {
		long length = getContentLengthLong();
		return (length > Integer.MAX_VALUE) ? -1 : (int) length;
	}

	@Override
	public long getContentLengthLong() {
		return this.exchange.requestContentLength();
	}

	@Override
	public String getContentType() {
		return getHeader("Content-Type");
	}

	@Override
	public ServletInputStream getInputStream() {
		if (this.reader != null) {
			throw new IllegalStateException("getReader() has already been called for this request");
		}
		return bodyStream();
	}

	private RequestInputStream bodyStream() {
		if (this.inputStream == null) {
			this.inputStream = new RequestInputStream(this.exchange.requestBody(), this);
		}
		return this.inputStream;
	}

	@Override
	public BufferedReader getReader() throws UnsupportedEncodingException {
		if (this.reader == null) {
			if (this.inputStream != null) {
				throw new IllegalStateException("getInputStream() has already been called for this request");
			}
			String encoding = getCharacterEncoding();
			Charset cs = (encoding != null) ? charset(encoding) : StandardCharsets.ISO_8859_1;
			this.reader = new BufferedReader(new InputStreamReader(bodyStream(), cs));
		}
		return this.reader;
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

	private Map<String, String[]> parameterMap() {
		if (this.dispatchParameters != null) {
			return this.dispatchParameters;
		}
		if (this.parameters == null) {
			this.parameters = parseParameters();
		}
		return this.parameters;
	}

	private Map<String, String[]> parseParameters() {
		int maxCount = this.application.deployment().getMaxParameterCount();
		Map<String, List<String>> parsed = new LinkedHashMap<>();
		RequestParameters.parseQuery(this.target.queryString(), RequestParameters.QUERY_CHARSET, parsed, maxCount);
		// The body is a form only for POST, and only if the application has not claimed the stream itself (spec 3.1.1).
		if ("POST".equals(getMethod()) && this.inputStream == null && this.reader == null
				&& "application/x-www-form-urlencoded".equals(ContentTypes.mediaType(getContentType()))) {
			Charset cs = bodyCharset();
			String form = RequestParameters.readForm(bodyStream(), getContentLengthLong(),
					this.application.deployment().getMaxFormPostSize(), cs);
			RequestParameters.parseQuery(form, cs, parsed, maxCount);
		}
		else if ("POST".equals(getMethod()) && this.parts.isParseable()
				&& (this.parts.isParsed() || (this.inputStream == null && this.reader == null))) {
			addFormFieldParts(parsed, maxCount);
		}
		return RequestParameters.freeze(parsed);
	}

	/** The multipart form fields (parts without a file name) are parameters too, as in Tomcat. */
	private void addFormFieldParts(Map<String, List<String>> parsed, int maxCount) {
		try {
			int count = 0;
			for (List<String> values : parsed.values()) {
				count += values.size();
			}
			Charset cs = (getCharacterEncoding() != null) ? bodyCharset() : StandardCharsets.UTF_8;
			long maxField = this.application.deployment().getMaxFormPostSize();
			for (UploadedPart part : this.parts.parts()) {
				if (part.isFormField() && (maxField < 0 || part.getSize() <= maxField)) {
					if (maxCount >= 0 && ++count > maxCount) {
						break;
					}
					parsed.computeIfAbsent(part.getName(), (key) -> new ArrayList<>()).add(part.text(cs));
				}
			}
		}
		catch (IOException | ServletException | RuntimeException ex) {
			// As in Tomcat: parameters stay what they are; getParts() reports the failure to whoever asks for parts.
		}
	}

	// ---- multipart: kept in RequestParts -------------------------------------------------------------------------

	@Override
	public Collection<Part> getParts() throws IOException, ServletException {
		return this.parts.all();
	}

	@Override
	public Part getPart(String name) throws IOException, ServletException {
		return this.parts.get(name);
	}

	// ---- sessions: kept in RequestSession -----------------------------------------------------------------------

	@Override
	public HttpSession getSession(boolean create) {
		return this.sessions.getSession(create);
	}

	@Override
	public HttpSession getSession() {
		return this.sessions.getSession(true);
	}

	@Override
	public String changeSessionId() {
		return this.sessions.changeSessionId();
	}

	@Override
	public String getRequestedSessionId() {
		return this.sessions.requestedSessionId();
	}

	@Override
	public boolean isRequestedSessionIdValid() {
		return this.sessions.isRequestedSessionIdValid();
	}

	@Override
	public boolean isRequestedSessionIdFromCookie() {
		return this.sessions.requestedSessionId() != null;
	}

	@Override
	public boolean isRequestedSessionIdFromURL() {
		return false;
	}

	// ---- asynchronous processing: kept in RequestAsync and AsyncContextFacade ----------------------------------

	@Override
	public AsyncContext startAsync() {
		return this.async.start(this, this.response);
	}

	@Override
	public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
		return this.async.start(servletRequest, servletResponse);
	}

	@Override
	public boolean isAsyncStarted() {
		return this.async.isStarted();
	}

	@Override
	public boolean isAsyncSupported() {
		return this.async.isSupported();
	}

	@Override
	public AsyncContext getAsyncContext() {
		return this.async.get();
	}

	@Override
	public Map<String, String> getTrailerFields() {
		return Collections.emptyMap();
	}

	@Override
	public boolean isTrailerFieldsReady() {
		return true;
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
