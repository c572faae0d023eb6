package io.hybridserver.dispatch;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.http.Exchange;
import io.hybridserver.http.PlainTextAnswer;

/**
 * Runs one exchange on the current worker thread and guarantees it ends: a handler that throws before committing gets
 * a 500, one that throws after committing gets its connection aborted. Shared by both worker kinds.
 */
final class ExchangeRunner {

	private static final Log logger = LogFactory.getLog(ExchangeRunner.class);

	private static final byte[] SERVER_ERROR = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] UNAVAILABLE = "The server is shutting down; retry later\n"
		.getBytes(StandardCharsets.US_ASCII);

	private final ExchangeHandler handler;

	private final DispatchObserver observer;

	private final AtomicInteger busy = new AtomicInteger();

	ExchangeRunner(ExchangeHandler handler, DispatchObserver observer) {
		this.handler = handler;
		this.observer = observer;
	}

	void run(QueuedExchange queued) {
		this.observer.exchangeDequeued(System.nanoTime() - queued.enqueuedNanos);
		run(queued.exchange);
	}

	/** Runs a continuation of an exchange already handled once; a failure is the continuation's own to report. */
	void runTask(Runnable task) {
		this.busy.incrementAndGet();
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.error("A continuation of an exchange failed", ex);
			if (ex instanceof Error error && !(ex instanceof StackOverflowError)) {
				throw error;
			}
		}
		finally {
			this.busy.decrementAndGet();
		}
	}

	void run(Exchange exchange) {
		this.busy.incrementAndGet();
		try {
			this.handler.handle(exchange);
		}
		catch (Throwable ex) {
			logger.error("Unhandled failure processing " + exchange.method() + " "
					+ exchange.target(), ex);
			PlainTextAnswer.answerOrAbort(exchange, 500, SERVER_ERROR, ex);
			if (ex instanceof Error error && !(ex instanceof StackOverflowError)) {
				throw error;
			}
		}
		finally {
			this.busy.decrementAndGet();
		}
	}

	/** Answers an exchange that will never run (the server stopped first): 503 with Retry-After. */
	static void refuse(Exchange exchange) {
		exchange.responseHeaders().set("Retry-After", "1");
		PlainTextAnswer.answerOrAbort(exchange, 503, UNAVAILABLE, null);
	}

	int busyWorkers() {
		return this.busy.get();
	}

}
