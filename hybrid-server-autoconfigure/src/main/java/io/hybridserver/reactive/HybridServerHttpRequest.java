package io.hybridserver.reactive;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.http.support.Netty4HeadersAdapter;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;

import io.hybridserver.http.ByteBufExchange;

/**
 * A {@code ServerHttpRequest} over an exchange: headers are Netty's, seen through Spring's adapter (no copy), and the
 * body is a {@link RequestBodyPublisher}.
 */
final class HybridServerHttpRequest extends AbstractServerHttpRequest {

	private final ByteBufExchange exchange;

	private final Flux<DataBuffer> body;

	HybridServerHttpRequest(ByteBufExchange exchange, URI uri, Flux<DataBuffer> body) {
		super(HttpMethod.valueOf(exchange.method()), uri, "",
				new HttpHeaders(new Netty4HeadersAdapter(exchange.nettyRequestHeaders())));
		this.exchange = exchange;
		this.body = body;
	}

	/**
	 * The absolute URI of the request: the target as sent when absolute, else the scheme, the {@code Host} header (the
	 * local address without one) and the target.
	 * @throws URISyntaxException when the target is not a valid URI reference
	 */
	static URI uriOf(ByteBufExchange exchange) throws URISyntaxException {
		String target = exchange.target();
		if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
			return new URI(target);
		}
		String host = exchange.requestHeaders().get("Host");
		if (host == null || host.isEmpty()) {
			InetSocketAddress local = exchange.localAddress();
			String address = local.getAddress().getHostAddress();
			host = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + local.getPort();
		}
		// The asterisk-form (OPTIONS *) names the server itself, not a resource.
		String path = "*".equals(target) ? "" : target;
		return new URI(exchange.scheme() + "://" + host + path);
	}

	@Override
	public Flux<DataBuffer> getBody() {
		return this.body;
	}

	@Override
	public InetSocketAddress getRemoteAddress() {
		return this.exchange.remoteAddress();
	}

	@Override
	public InetSocketAddress getLocalAddress() {
		return this.exchange.localAddress();
	}

	@Override
	protected MultiValueMap<String, HttpCookie> initCookies() {
		MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
		for (String header : this.exchange.requestHeaders().getAll("Cookie")) {
			parseCookies(header, cookies);
		}
		return cookies;
	}

	/** RFC 6265 5.4 {@code cookie-string}: {@code name=value} pairs separated by semicolons, values maybe quoted. */
	static void parseCookies(String header, MultiValueMap<String, HttpCookie> into) {
		for (String pair : header.split(";")) {
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				continue;
			}
			String name = pair.substring(0, equals).trim();
			String value = pair.substring(equals + 1).trim();
			if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
				value = value.substring(1, value.length() - 1);
			}
			if (!name.isEmpty()) {
				into.add(name, new HttpCookie(name, value));
			}
		}
	}

	@Override
	protected SslInfo initSslInfo() {
		SSLSession session = this.exchange.tlsSession();
		if (session == null) {
			return null;
		}
		String sessionId = HexFormat.of().formatHex(session.getId());
		List<X509Certificate> certificates = new ArrayList<>();
		try {
			for (Certificate certificate : session.getPeerCertificates()) {
				if (certificate instanceof X509Certificate x509) {
					certificates.add(x509);
				}
			}
		}
		catch (SSLPeerUnverifiedException ex) {
			// The client sent no certificate: the session id alone.
		}
		return certificates.isEmpty() ? SslInfo.from(sessionId)
				: SslInfo.from(sessionId, certificates.toArray(new X509Certificate[0]));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T getNativeRequest() {
		return (T) this.exchange;
	}

}
