package io.hybridserver.dispatch;

import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.Exchange;
import io.hybridserver.queues.LockFreeQueues;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog on its own, with a queue that nobody takes from: how often it looks, and that it still acts. While the
 * process is CPU-bound it looks once per {@value StallWatchdog#MAX_WAIT_MILLIS} ms, not every tick, since nothing
 * shorter can make it act there and every look is a wake-up that takes the CPU from the server's own threads. Counted
 * by the rule (which park came before each look), not by the time a number of looks took.
 */
class StallWatchdogTest {

	private static final Exchange PLACEHOLDER = (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(),
			new Class<?>[] { Exchange.class }, (proxy, method, args) -> {
				throw new UnsupportedOperationException(method.getName());
			});

	private final MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(16);

	private final AtomicInteger wakeRequests = new AtomicInteger();

	private final AtomicBoolean cpuBound = new AtomicBoolean(true);

	private StallWatchdog watchdog;

	@AfterEach
	void stop() {
		if (this.watchdog != null) {
			this.watchdog.stop();
		}
	}

	@Test
	void onSaturatedCpusItLooksOncePerMaxWaitAndStillWakesAWorker() throws Exception {
		start();
		this.queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
		this.watchdog.arm();
		awaitUntil(() -> this.watchdog.looks() >= 5 && this.wakeRequests.get() > 0);
		// Stopped first: the counts are final when read.
		this.watchdog.stop();
		// The rule, not a time: every look came after a park of 10 ms, but the first when it was armed before its first
		// poll (it then looked after a 1 ms tick, and found the process CPU-bound).
		assertThat(this.watchdog.looks() - this.watchdog.slowLooks()).isLessThanOrEqualTo(1);
		// Nobody took the exchange during 10 ms: the CPU-bound rule still wakes a worker, one per look.
		assertThat(this.wakeRequests.get()).isPositive().isLessThanOrEqualTo((int) this.watchdog.looks());
	}

	@Test
	void onIdleCpusItLooksEveryTick() throws Exception {
		this.cpuBound.set(false);
		start();
		this.queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
		this.watchdog.arm();
		awaitUntil(() -> this.watchdog.looks() >= 5);
		this.watchdog.stop();
		assertThat(this.watchdog.slowLooks()).isZero();
		// Each look without a take asked for a worker per exchange waiting.
		assertThat(this.watchdog.stallWakes()).isPositive();
		assertThat(this.wakeRequests.get()).isEqualTo((int) this.watchdog.stallWakes());
	}

	@Test
	void armedWhileItPollsWithoutAWakeUpItStillActs() throws Exception {
		start();
		// Armed once and disarmed with an empty queue: on saturated CPUs it now polls instead of parking for good.
		this.watchdog.arm();
		Thread.sleep(50);
		int before = this.wakeRequests.get();
		this.queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
		this.watchdog.arm();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.wakeRequests.get() == before && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(this.wakeRequests.get()).isGreaterThan(before);
	}

	@Test
	void onIdleCpusAStalledQueueGetsWorkersWithinTicks() throws Exception {
		this.cpuBound.set(false);
		start();
		// Not saturated: disarmed, it parks until armed again (an idle server pays nothing), and armed it is woken and
		// ticks every millisecond, waking workers for a queue nobody takes from.
		this.watchdog.arm();
		Thread.sleep(30);
		this.queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
		this.watchdog.arm();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.wakeRequests.get() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		assertThat(this.wakeRequests.get()).isPositive();
	}

	private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met in 20 s").isLessThan(deadline);
			Thread.sleep(1);
		}
	}

	private void start() {
		this.watchdog = new StallWatchdog(this.queue, (count) -> this.wakeRequests.addAndGet(count), () -> false,
				this.cpuBound::get, "test-watchdog");
		this.watchdog.start();
	}

}
