package io.hybridserver.http;

/**
 * What an exchange records for the completion listener (the access log) beyond its response: when it began, committed
 * and ended, who the application said made it, and which thread ended it. Kept apart from the exchange and made only
 * when a listener is there to read it, so that without an access log no request carries these fields (eight of them,
 * about 50 bytes on every exchange). Written by the exchange's threads before the end publishes it to the loop.
 */
final class CompletionFacts {

	long startMillis;

	long startNanos;

	long commitNanos = -1;

	long endNanos;

	String remoteUser;

	String sessionId;

	String forwardedRemoteAddress;

	String threadName;

	/** Facts whose clocks start now. */
	static CompletionFacts startingNow() {
		CompletionFacts facts = new CompletionFacts();
		facts.startMillis = System.currentTimeMillis();
		facts.startNanos = System.nanoTime();
		return facts;
	}

}
