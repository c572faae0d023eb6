package io.hybridserver.http.h1;

import io.netty.handler.codec.http.HttpResponseStatus;

import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * What the I/O tier answers by itself instead of dispatching a request: the status, one sentence for the client, the
 * reason it is counted under, and for a 405 the {@code Allow} header RFC 9110 15.5.6 asks for ({@code null} otherwise).
 */
record LocalAnswer(HttpResponseStatus status, String message, Rejection reason, String allow) {

	LocalAnswer(HttpResponseStatus status, String message, Rejection reason) {
		this(status, message, reason, null);
	}

	static LocalAnswer badRequest(String message) {
		return new LocalAnswer(HttpResponseStatus.BAD_REQUEST, message, Rejection.BAD_REQUEST);
	}

}
