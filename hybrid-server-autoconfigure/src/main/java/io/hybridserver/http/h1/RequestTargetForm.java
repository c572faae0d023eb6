package io.hybridserver.http.h1;

import io.netty.handler.codec.http.HttpMethod;

/**
 * The forms a request-target may take on this server (RFC 9112 3.2): origin-form ({@code /path?query}), absolute-form
 * ({@code http://authority/path} or {@code https://...}, any case, its authority a host and port without userinfo) or,
 * for OPTIONS only, asterisk-form. The authority-form of CONNECT is refused: this server is no proxy. The target's
 * bytes are already known to be visible ASCII without '#'.
 */
final class RequestTargetForm {

	private RequestTargetForm() {
	}

	/** Throws a {@link RequestFramingException} (400) unless {@code [from, to)} of {@code b} is an allowed form. */
	static void check(byte[] b, int from, int to, HttpMethod method) {
		int first = b[from];
		if (first == '/') {
			return;
		}
		if (first == '*' && to - from == 1) {
			if (!HttpMethod.OPTIONS.equals(method)) {
				throw RequestFramingException.badRequest("Only OPTIONS may have * as its request target");
			}
			return;
		}
		int authorityStart = schemeEnd(b, from, to);
		if (authorityStart < 0) {
			throw RequestFramingException.badRequest("The request target must be a path starting with /");
		}
		int authorityEnd = authorityStart;
		while (authorityEnd < to && b[authorityEnd] != '/' && b[authorityEnd] != '?') {
			authorityEnd++;
		}
		if (HttpSyntax.indexOf(b, authorityStart, authorityEnd, '@') >= 0) {
			throw RequestFramingException.badRequest("The request target must not carry user information");
		}
		if (authorityEnd == authorityStart || !HttpSyntax.isHostAndPort(b, authorityStart, authorityEnd)) {
			throw RequestFramingException.badRequest("The request target's authority must be a host and a port");
		}
	}

	/** The index after {@code http://} or {@code https://} (any case) at {@code from}, or -1. */
	private static int schemeEnd(byte[] b, int from, int to) {
		int p = from;
		if (to - p < 7 || (b[p] | 0x20) != 'h' || (b[p + 1] | 0x20) != 't' || (b[p + 2] | 0x20) != 't'
				|| (b[p + 3] | 0x20) != 'p') {
			return -1;
		}
		p += 4;
		if ((b[p] | 0x20) == 's') {
			p++;
		}
		if (to - p < 3 || b[p] != ':' || b[p + 1] != '/' || b[p + 2] != '/') {
			return -1;
		}
		return p + 3;
	}

}
