package io.hybridserver.http.h1;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpResponseStatus;

import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * A request that breaks the HTTP/1.1 grammar or framing rules, as {@link Http1RequestDecoder} found it: the failed
 * {@link io.netty.handler.codec.DecoderResult} of the message it emits, carrying the answer the client gets. The message
 * is one sentence for the client and never quotes the request's bytes.
 */
final class RequestFramingException extends DecoderException {

	private static final long serialVersionUID = 1L;

	private final transient HttpResponseStatus status;

	private final Rejection reason;

	RequestFramingException(HttpResponseStatus status, Rejection reason, String message) {
		super(message);
		this.status = status;
		this.reason = reason;
	}

	static RequestFramingException badRequest(String message) {
		return new RequestFramingException(HttpResponseStatus.BAD_REQUEST, Rejection.BAD_REQUEST, message);
	}

	HttpResponseStatus status() {
		return this.status;
	}

	Rejection reason() {
		return this.reason;
	}

	LocalAnswer toAnswer() {
		return new LocalAnswer(this.status, getMessage(), this.reason);
	}

	/** No stack trace: this is the client's mistake, found on a hot path, and only its message is ever used. */
	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

}
