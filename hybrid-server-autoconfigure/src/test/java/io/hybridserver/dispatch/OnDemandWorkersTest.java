package io.hybridserver.dispatch;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.Exchange;
import io.hybridserver.queues.LockFreeQueues;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Platform workers started on demand: the spare ones at once, more when requests wait and none is idle, the extra ones
 * retiring after their idle timeout, and no exchange left unanswered when a worker retires just as one arrives. Real
 * threads; the exchanges are placeholders that the handlers never touch.
 */
class OnDemandWorkersTest {

	private static final Exchange PLACEHOLDER = (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(),
			new Class<?>[] { Exchange.class }, (proxy, method, args) -> {
				if (method.getName().equals("toString")) {
					return "placeholder exchange";
				}
				throw new UnsupportedOperationException(method.getName());
			});

	/** Parked workers never wake by themselves for the safety net here: only their idle timeout wakes them. */
	private static final long NO_SAFETY_NET = TimeUnit.MINUTES.toNanos(10);

	@Test
	void onlyTheSpareWorkersStartAndExtraOnesStartWhenNeededThenRetire() throws Exception {
		// Eight exchanges that can only finish together and two spare workers: six more must start, and once idle for
		// their timeout they end, leaving the two.
		CyclicBarrier allRunning = new CyclicBarrier(8);
		CountDownLatch finished = new CountDownLatch(8);
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(64);
		ExchangeRunner runner = new ExchangeRunner((exchange) -> {
			allRunning.await(20, TimeUnit.SECONDS);
			finished.countDown();
		}, DispatchObserver.NONE);
		PlatformWorkerPool pool = new PlatformWorkerPool(
				new PlatformWorkerPool.Sizing(8, 2, TimeUnit.MILLISECONDS.toNanos(50)), 2, NO_SAFETY_NET, () -> false,
				queue, runner, "spare-test-worker-");
		try {
			assertThat(pool.currentWorkers()).isEqualTo(2);
			assertThat(aliveThreads("spare-test-worker-")).isEqualTo(2);
			for (int i = 0; i < 8; i++) {
				assertThat(queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()))).isTrue();
				pool.onEnqueued(1);
			}
			assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(pool.extraStarts()).isEqualTo(6);
			awaitUntil(() -> pool.currentWorkers() == 2 && aliveThreads("spare-test-worker-") == 2);
			assertThat(pool.retirements()).isEqualTo(6);
		}
		finally {
			pool.stop(5_000);
		}
	}

	@Test
	void anExchangeQueuedWhileTheLastWorkerRetiresIsAnswered() throws Exception {
		// The race forced: no spare workers, so the one worker started for the first exchange retires when idle; the
		// moment it has left the pool (before its thread ends) a producer queues an exchange and finds nobody to wake.
		// Only a worker started for it can answer it (one worker at most, so no other is parked and times out onto it):
		// a lost wake-up leaves it queued for good.
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(64);
		CountDownLatch first = new CountDownLatch(1);
		CountDownLatch second = new CountDownLatch(1);
		AtomicInteger handled = new AtomicInteger();
		ExchangeRunner runner = new ExchangeRunner((exchange) -> {
			if (handled.incrementAndGet() == 1) {
				first.countDown();
			}
			else {
				second.countDown();
			}
		}, DispatchObserver.NONE);
		PlatformWorkerPool pool = new PlatformWorkerPool(
				new PlatformWorkerPool.Sizing(1, 0, TimeUnit.MILLISECONDS.toNanos(20)), 1, NO_SAFETY_NET, () -> false,
				queue, runner, "race-test-worker-");
		AtomicBoolean raced = new AtomicBoolean();
		pool.retiringHook = () -> {
			if (raced.compareAndSet(false, true)) {
				queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
				pool.onEnqueued(1);
			}
		};
		try {
			assertThat(pool.currentWorkers()).isZero();
			assertThat(queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()))).isTrue();
			pool.onEnqueued(1);
			assertThat(first.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(second.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(raced).isTrue();
			assertThat(pool.extraStarts()).isEqualTo(2);
			assertThat(pool.retirements()).isGreaterThanOrEqualTo(1);
		}
		finally {
			pool.stop(5_000);
		}
	}

	@Test
	void manyProducersWhileWorkersRetireLoseNoExchange() throws Exception {
		// Eight producers queue in bursts with pauses longer than the workers' 1 ms idle timeout, so workers retire
		// and start all the time, racing the producers. Every exchange must run, and never more at once than the
		// maximum.
		int producers = 8;
		int perProducer = 2_000;
		int max = 6;
		CountDownLatch finished = new CountDownLatch(producers * perProducer);
		AtomicInteger running = new AtomicInteger();
		AtomicInteger mostRunning = new AtomicInteger();
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(producers * perProducer);
		ExchangeRunner runner = new ExchangeRunner((exchange) -> {
			int now = running.incrementAndGet();
			mostRunning.accumulateAndGet(now, Math::max);
			if (ThreadLocalRandom.current().nextInt(64) == 0) {
				Thread.sleep(1);
			}
			running.decrementAndGet();
			finished.countDown();
		}, DispatchObserver.NONE);
		PlatformWorkerPool pool = new PlatformWorkerPool(
				new PlatformWorkerPool.Sizing(max, 1, TimeUnit.MILLISECONDS.toNanos(1)), 2, NO_SAFETY_NET, () -> false,
				queue, runner, "stress-test-worker-");
		List<Thread> threads = new ArrayList<>();
		try {
			for (int p = 0; p < producers; p++) {
				Thread producer = new Thread(() -> {
					ThreadLocalRandom random = ThreadLocalRandom.current();
					for (int i = 0; i < perProducer; i++) {
						queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
						pool.onEnqueued(1);
						if (random.nextInt(50) == 0) {
							sleepQuietly(random.nextInt(1, 4));
						}
					}
				}, "stress-test-producer-" + p);
				threads.add(producer);
				producer.start();
			}
			for (Thread producer : threads) {
				producer.join(60_000);
			}
			assertThat(finished.await(60, TimeUnit.SECONDS)).as("exchanges left: %d", finished.getCount()).isTrue();
			assertThat(mostRunning.get()).isLessThanOrEqualTo(max);
			assertThat(pool.retirements()).isPositive();
			assertThat(pool.extraStarts()).isPositive();
			assertThat(pool.currentWorkers()).isBetween(1, max);
		}
		finally {
			pool.stop(5_000);
		}
	}

	private static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static long aliveThreads(String prefix) {
		return Thread.getAllStackTraces().keySet().stream()
			.filter((thread) -> thread.getName().startsWith(prefix) && !thread.getName().endsWith("watchdog")
					&& thread.isAlive())
			.count();
	}

	private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met in 20 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
