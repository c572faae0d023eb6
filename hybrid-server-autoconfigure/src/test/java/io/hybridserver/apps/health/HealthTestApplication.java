package io.hybridserver.apps.health;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An Actuator application whose {@code /hold} requests stay in flight until the test releases them, so that a test
 * can look at the server's health while it has requests to finish.
 */
@SpringBootApplication
public class HealthTestApplication {

	/** Permits taken by each {@code /hold} request as it starts. */
	public static final Semaphore ENTERED = new Semaphore(0);

	private static volatile CountDownLatch release = new CountDownLatch(1);

	/** Makes the next {@code /hold} requests wait again, until {@link #release()}. */
	public static void reset() {
		ENTERED.drainPermits();
		release = new CountDownLatch(1);
	}

	/** Lets every waiting {@code /hold} request answer. */
	public static void release() {
		release.countDown();
	}

	@RestController
	static class HoldController {

		@GetMapping("/hold")
		String hold() throws InterruptedException {
			ENTERED.release();
			// Bounded, so that a failed test cannot keep a worker forever.
			return release.await(30, TimeUnit.SECONDS) ? "released" : "timed out";
		}

	}

}
