package io.hybridserver.http;

/**
 * The server's own short answer to an exchange the application could not answer (a failure, a refusal): a plain-text
 * body with a known length, or, when the head has already left, an abort, since nothing honest can follow it. Shared
 * by the dispatch tier and the reactive adapter.
 */
public final class PlainTextAnswer {

	private PlainTextAnswer() {
	}

	/**
	 * Answers {@code status} with {@code body} (US-ASCII text), or aborts the exchange when it is already committed.
	 * @param cause why, for the abort; may be {@code null}
	 */
	public static void answerOrAbort(Exchange exchange, int status, byte[] body, Throwable cause) {
		if (exchange.isCommitted()) {
			exchange.abort(cause);
			return;
		}
		try {
			exchange.responseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
			exchange.commit(status, body.length);
			exchange.write(body, 0, body.length);
			exchange.complete();
		}
		catch (Exception ex) {
			exchange.abort(ex);
		}
	}

}
