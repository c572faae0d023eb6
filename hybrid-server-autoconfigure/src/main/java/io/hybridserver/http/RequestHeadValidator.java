package io.hybridserver.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import io.hybridserver.http.HttpServerStats.Rejection;

/**
 * Decides whether a decoded request head may be dispatched, and if not, which 4xx/5xx answers it: the decoder's own
 * failures (414, 431, 400 for Transfer-Encoding with Content-Length, 400 for anything malformed) and the RFC 9112
 * rules the decoder leaves to the server (one Host on HTTP/1.1, a known Expect, chunked last in Transfer-Encoding, a
 * request-target in origin, absolute or asterisk form, HTTP/1.x only).
 */
final class RequestHeadValidator {

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
		HttpVersion version = request.protocolVersion();
		if (version.majorVersion() != 1 || version.minorVersion() > 1) {
			return new LocalAnswer(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
					"Only HTTP/1.0 and HTTP/1.1 are spoken on this connection", Rejection.BAD_REQUEST);
		}
		HttpHeaders headers = request.headers();
		int hosts = headers.getAll(HttpHeaderNames.HOST).size();
		if (hosts > 1 || (hosts == 0 && version.minorVersion() == 1)) {
			return LocalAnswer.badRequest("An HTTP/1.1 request needs exactly one Host header");
		}
		String expect = headers.get(HttpHeaderNames.EXPECT);
		if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
			return new LocalAnswer(HttpResponseStatus.EXPECTATION_FAILED, "Only Expect: 100-continue is supported",
					Rejection.BAD_REQUEST);
		}
		if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) && version.minorVersion() == 0) {
			// RFC 9112, 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
			return LocalAnswer.badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request");
		}
		if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) && !HttpUtil.isTransferEncodingChunked(request)) {
			return LocalAnswer.badRequest("Transfer-Encoding must end with chunked");
		}
		if (!isValidTarget(request)) {
			return LocalAnswer.badRequest("The request target must be a path starting with /");
		}
		return null;
	}

	private LocalAnswer decoderFailure(Throwable cause) {
		if (cause instanceof TooLongHttpLineException) {
			return new LocalAnswer(HttpResponseStatus.REQUEST_URI_TOO_LONG,
					"The request line is longer than " + this.config.getMaxRequestLineLength() + " bytes",
					Rejection.URI_TOO_LONG);
		}
		if (cause instanceof TooLongHttpHeaderException) {
			return new LocalAnswer(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
					"The request header fields are larger than " + this.config.getMaxHeaderSize() + " bytes",
					Rejection.HEADERS_TOO_LARGE);
		}
		if (cause instanceof ContentLengthNotAllowedException) {
			return LocalAnswer.badRequest("A request must not carry both Transfer-Encoding and Content-Length");
		}
		return LocalAnswer.badRequest("Malformed request: " + cause.getMessage());
	}

	private static boolean isValidTarget(HttpRequest request) {
		String target = request.uri();
		if (target.startsWith("/")) {
			return true;
		}
		if (target.equals("*")) {
			return "OPTIONS".equals(request.method().name());
		}
		return target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8);
	}

}
