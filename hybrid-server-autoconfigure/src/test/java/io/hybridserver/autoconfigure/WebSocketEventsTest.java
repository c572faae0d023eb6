package io.hybridserver.autoconfigure;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;

/**
 * What the WebSocket application tests share: the test application records what its endpoints saw of closes and
 * errors in a queue, emptied before each test, and a test waits for the event it expects.
 */
abstract class WebSocketEventsTest {

	/** The application's event queue. */
	abstract BlockingQueue<String> events();

	@BeforeEach
	void clearEvents() {
		events().clear();
	}

	/** Waits for an endpoint event that starts with {@code expected}; a late event of an earlier test is skipped. */
	void awaitEvent(String expected) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (System.nanoTime() < deadline) {
			String event = events().poll(1, TimeUnit.SECONDS);
			if (event != null && event.startsWith(expected)) {
				return;
			}
		}
		throw new AssertionError("No endpoint event " + expected + " within 20 s");
	}

}
