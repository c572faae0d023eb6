package io.hybridserver.http;

import java.net.SocketTimeoutException;

/**
 * A read of the request body failed because the client sent it too slowly: below the minimum data rate, or nothing at
 * all for the connection timeout. It is the client's fault, so the application tiers answer it with
 * {@code 408 Request Timeout} where the application lets it escape, not with a server error.
 */
public final class RequestBodyTimeoutException extends SocketTimeoutException {

	private static final long serialVersionUID = 1L;

	public RequestBodyTimeoutException(String message) {
		super(message);
	}

	/** Whether {@code failure} or one of its causes is a request body timeout. */
	public static boolean isCause(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof RequestBodyTimeoutException) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

}
