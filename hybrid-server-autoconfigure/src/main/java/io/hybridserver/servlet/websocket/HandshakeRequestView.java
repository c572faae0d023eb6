package io.hybridserver.servlet.websocket;

import java.net.URI;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;

/**
 * The opening handshake's request as {@code Configurator.modifyHandshake} sees it, copied from the servlet request
 * while the request is alive: the session outlives it.
 */
final class HandshakeRequestView implements HandshakeRequest {

	private final Map<String, List<String>> headers;

	private final Principal principal;

	private final URI requestUri;

	private final Object httpSession;

	private final Map<String, List<String>> parameters;

	private final String queryString;

	/** The servlet request during the handshake, dropped after it: a session must not keep the request alive. */
	private volatile HttpServletRequest request;

	HandshakeRequestView(HttpServletRequest request) {
		this.request = request;
		Map<String, List<String>> copied = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements();) {
			String name = names.nextElement();
			copied.put(name, Collections.unmodifiableList(Collections.list(request.getHeaders(name))));
		}
		this.headers = Collections.unmodifiableMap(copied);
		this.principal = request.getUserPrincipal();
		this.queryString = request.getQueryString();
		this.requestUri = requestUri(request, this.queryString);
		this.httpSession = request.getSession(false);
		Map<String, List<String>> params = new LinkedHashMap<>();
		request.getParameterMap().forEach((name, values) -> params.put(name, List.of(values)));
		this.parameters = Collections.unmodifiableMap(params);
	}

	/** The URI the client asked for, with the ws or wss scheme (Jakarta WebSocket 2.2, 3.1.5 leaves the form open). */
	private static URI requestUri(HttpServletRequest request, String query) {
		StringBuilder uri = new StringBuilder(request.isSecure() ? "wss://" : "ws://");
		uri.append(request.getServerName());
		int port = request.getServerPort();
		if (port != (request.isSecure() ? 443 : 80)) {
			uri.append(':').append(port);
		}
		uri.append(request.getRequestURI());
		if (query != null) {
			uri.append('?').append(query);
		}
		return URI.create(uri.toString());
	}

	/** The handshake is over: the servlet request ends and must not be kept by the session. */
	void handshakeDone() {
		this.request = null;
	}

	@Override
	public Map<String, List<String>> getHeaders() {
		return this.headers;
	}

	/** The values of a header, comma-separated lists split, as the handshake's list-valued headers are sent. */
	List<String> tokens(String name) {
		List<String> values = this.headers.get(name);
		if (values == null) {
			return List.of();
		}
		return values.stream()
			.flatMap((value) -> Arrays.stream(value.split(",")))
			.map(String::trim)
			.filter((token) -> !token.isEmpty())
			.toList();
	}

	String header(String name) {
		List<String> values = this.headers.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	@Override
	public Principal getUserPrincipal() {
		return this.principal;
	}

	@Override
	public URI getRequestURI() {
		return this.requestUri;
	}

	/** Asked during the handshake only, as the spec allows; false after it. */
	@Override
	public boolean isUserInRole(String role) {
		HttpServletRequest current = this.request;
		return current != null && current.isUserInRole(role);
	}

	@Override
	public Object getHttpSession() {
		return this.httpSession;
	}

	@Override
	public Map<String, List<String>> getParameterMap() {
		return this.parameters;
	}

	@Override
	public String getQueryString() {
		return this.queryString;
	}

}
