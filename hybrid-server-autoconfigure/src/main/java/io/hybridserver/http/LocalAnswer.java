package io.hybridserver.http;

import io.netty.handler.codec.http.HttpResponseStatus;

import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * What the I/O tier answers by itself instead of dispatching a request: the status, one sentence for the client, and
 * the reason it is counted under.
 */
record LocalAnswer(HttpResponseStatus status, String message, Rejection reason) {

	static LocalAnswer badRequest(String message) {
		return new LocalAnswer(HttpResponseStatus.BAD_REQUEST, message, Rejection.BAD_REQUEST);
	}

}
