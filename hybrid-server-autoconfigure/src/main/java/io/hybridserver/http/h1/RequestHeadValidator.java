package io.hybridserver.http.h1;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import io.hybridserver.http.HttpServerConfig;
import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * Decides whether a decoded request head may be dispatched, and if not, which 4xx/5xx answers it, before any exchange
 * exists: the decoder's failures ({@link Http1RequestDecoder} owns the grammar and framing rules and names the status,
 * 400, 414, 431, 501 or 505), then what the server refuses by policy: an {@code Expect} other than
 * {@code 100-continue} (417) and TRACE unless it is allowed (405).
 */
final class RequestHeadValidator {

	/**
	 * What a 405 to TRACE offers instead. The I/O tier cannot know a resource's methods; Tomcat lists the servlet's,
	 * which for Spring's DispatcherServlet are these.
	 */
	static final String ALLOW_WITHOUT_TRACE = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH";

	private final HttpServerConfig config;

	RequestHeadValidator(HttpServerConfig config) {
		this.config = config;
	}

	/** @return {@code null} when the request may be dispatched, else the answer to give */
	LocalAnswer check(HttpRequest request) {
		DecoderResult result = request.decoderResult();
		if (result.isFailure()) {
			return decoderFailure(result.cause());
		}
		String expect = request.headers().get(HttpHeaderNames.EXPECT);
		if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
			return new LocalAnswer(HttpResponseStatus.EXPECTATION_FAILED, "Only Expect: 100-continue is supported",
					Rejection.BAD_REQUEST);
		}
		if (HttpMethod.TRACE.equals(request.method()) && !this.config.isAllowTrace()) {
			return new LocalAnswer(HttpResponseStatus.METHOD_NOT_ALLOWED, "TRACE is not allowed on this server",
					Rejection.METHOD_NOT_ALLOWED, ALLOW_WITHOUT_TRACE);
		}
		return null;
	}

	private static LocalAnswer decoderFailure(Throwable cause) {
		if (cause instanceof RequestFramingException framing) {
			return framing.toAnswer();
		}
		// Not ours: a decoder failure we did not foresee is still the client's malformed request.
		return LocalAnswer.badRequest("Malformed request");
	}

}
