package io.hybridserver.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The {@code Alt-Svc} field (RFC 7838) by which HTTP/1.1 and HTTP/2 responses tell a client that HTTP/3 is offered.
 * Only over TLS: a client takes an alternative service only for an {@code https} origin, and it must present the
 * same certificate there.
 */
public final class AltSvc {

	private AltSvc() {
	}

	/** The field value for HTTP/3 on {@code port}, remembered for a day as browsers and other servers use. */
	public static String forHttp3(int port) {
		return "h3=\":" + port + "\"; ma=86400";
	}

	/** Adds the field to a response head, unless there is none to add or the application set its own. */
	public static void advertise(String value, boolean secure, HttpHeaders headers) {
		if (value != null && secure && !headers.contains(HttpHeaderNames.ALT_SVC)) {
			headers.set(HttpHeaderNames.ALT_SVC, value);
		}
	}

}
