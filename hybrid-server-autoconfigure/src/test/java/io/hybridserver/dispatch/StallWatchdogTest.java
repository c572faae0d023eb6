package io.hybridserver.dispatch;

import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.Exchange;
import io.hybridserver.queues.LockFreeQueues;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog on its own, with a queue that nobody takes from: how often it looks, and that it still acts. On CPUs
 * the process saturates it looks once per {@value StallWatchdog#MAX_WAIT_MILLIS} ms, not every tick, since nothing
 * shorter can make it act there and every look is a wake-up that takes the CPU from the server's own threads.
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
		long start = System.nanoTime();
		this.watchdog.arm();
		Thread.sleep(200);
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		long looks = this.watchdog.looks();
		// A look per 1 ms tick would be about one per millisecond elapsed (fewer only when the machine is slow to wake
		// it); a look per 10 ms at most a tenth, plus the first. The bound sits between the two.
		assertThat(looks).isGreaterThan(0).isLessThan(elapsedMillis / 3);
		// Nobody took the exchange for well over 10 ms: the CPU-bound rule still wakes a worker.
		assertThat(this.wakeRequests.get()).isPositive();
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

	private void start() {
		this.watchdog = new StallWatchdog(this.queue, (count) -> this.wakeRequests.addAndGet(count), () -> false,
				this.cpuBound::get, "test-watchdog");
		this.watchdog.start();
	}

}
