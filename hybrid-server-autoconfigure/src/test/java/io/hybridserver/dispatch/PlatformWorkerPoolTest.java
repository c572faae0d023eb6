package io.hybridserver.dispatch;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.Exchange;
import io.hybridserver.queues.LockFreeQueues;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform worker pool keeps only a few workers awake, and the stall watchdog wakes more when those block. Real
 * threads; the exchanges are placeholders that the handlers never touch.
 */
class PlatformWorkerPoolTest {

	private static final Exchange PLACEHOLDER = (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(),
			new Class<?>[] { Exchange.class }, (proxy, method, args) -> {
				if (method.getName().equals("toString")) {
					return "placeholder exchange";
				}
				throw new UnsupportedOperationException(method.getName());
			});

	/** Parked workers never wake by themselves here, so that what the tests see is the pool's wake-ups alone. */
	private static final long NO_SAFETY_NET = TimeUnit.MINUTES.toNanos(10);

	private Dispatcher dispatcher;

	@AfterEach
	void stop() {
		if (this.dispatcher != null) {
			this.dispatcher.stop(5_000);
		}
	}

	@Test
	void exchangesBeyondTheAwakeTargetRunWhenTheAwakeWorkersBlock() throws Exception {
		// Eight exchanges that can only finish together, two workers awake by target: without the watchdog waking more,
		// the two would wait at the barrier for six exchanges that no worker takes.
		CyclicBarrier allRunning = new CyclicBarrier(8);
		CountDownLatch finished = new CountDownLatch(8);
		this.dispatcher = Dispatcher.platformThreads(8, 2, NO_SAFETY_NET, 64, (exchange) -> {
			allRunning.await(20, TimeUnit.SECONDS);
			finished.countDown();
		}, DispatchObserver.NONE);
		// Let every worker start and park first: a worker still on its way to park would take an exchange anyway.
		Thread.sleep(200);
		for (int i = 0; i < 8; i++) {
			assertThat(this.dispatcher.dispatch(PLACEHOLDER)).isTrue();
		}
		assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
		assertThat(this.dispatcher.queueDepth()).isZero();
	}

	@Test
	void aBurstOfShortExchangesIsServedByTheAwakeWorkersInsteadOfWakingThePool() throws Exception {
		// Waking a worker per exchange would wake all 32 parked workers for a burst of 200; with two kept awake, the
		// two take exchange after exchange and the rest stay parked (the watchdog may add one when a worker is
		// descheduled for a whole millisecond).
		int exchanges = 200;
		CountDownLatch finished = new CountDownLatch(exchanges);
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(1024);
		// The first exchanges wait until the whole burst is queued: a producer descheduled mid-burst on a busy machine
		// would otherwise let the awake workers drain the queue and park, and its next enqueue rightly wakes one again
		// (a run on two busy cores counted 21). The burst arriving faster than it is served is the case under test.
		CountDownLatch burstQueued = new CountDownLatch(1);
		ExchangeRunner runner = computingFor(TimeUnit.MICROSECONDS.toNanos(20), finished, burstQueued);
		// The watchdog told the CPUs are saturated waits 10 ms without a take before it wakes anyone: what is counted is
		// the pool's own wake-ups, not the watchdog's answer to a busy CI machine descheduling both awake workers for a
		// millisecond (which woke all 32 once).
		PlatformWorkerPool pool = new PlatformWorkerPool(32, 2, NO_SAFETY_NET, () -> true, queue, runner,
				"test-worker-");
		try {
			// Let every worker start and park first, as on a server waiting for its first request.
			Thread.sleep(200);
			// As an event loop enqueues the requests of one read: in quick succession, nothing slow in between.
			boolean allQueued = true;
			for (int i = 0; i < exchanges; i++) {
				allQueued &= queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
				pool.onEnqueued(1);
			}
			burstQueued.countDown();
			assertThat(allQueued).isTrue();
			assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(pool.wakeUps()).isBetween(2L, 8L);
		}
		finally {
			pool.stop(5_000);
		}
	}

	@Test
	void exchangesArrivingOneAtATimeAreAllRunByTheWorkerThatParkedLast() throws Exception {
		// Eight parked workers, one awake by target, and each exchange queued only once the previous one was answered
		// and its worker had parked again: the idle workers are a stack, so the worker that parked last is woken every
		// time and the other seven never run. A queue of idle workers would hand the exchanges to all eight in turn,
		// each with caches (and thread-locals) the others left cold: on a one-core server that is one hot worker
		// against eight lukewarm ones (scenario 9, docs/benchmarks.md).
		int exchanges = 40;
		Map<String, AtomicInteger> ranOn = new ConcurrentHashMap<>();
		AtomicInteger answered = new AtomicInteger();
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(16);
		ExchangeRunner runner = new ExchangeRunner((exchange) -> {
			ranOn.computeIfAbsent(Thread.currentThread().getName(), (name) -> new AtomicInteger()).incrementAndGet();
			answered.incrementAndGet();
		}, DispatchObserver.NONE);
		// Saturated CPUs: the watchdog could only act after 10 ms without a take, and no exchange waits here anyway.
		PlatformWorkerPool pool = new PlatformWorkerPool(8, 1, NO_SAFETY_NET, () -> true, queue, runner,
				"stack-test-worker-");
		try {
			awaitUntil(() -> pool.idleWorkers() == 8);
			for (int i = 1; i <= exchanges; i++) {
				assertThat(queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()))).isTrue();
				pool.onEnqueued(1);
				int expected = i;
				awaitUntil(() -> answered.get() == expected && pool.idleWorkers() == 8);
			}
			assertThat(ranOn).hasSize(1);
			assertThat(ranOn.values().iterator().next()).hasValue(exchanges);
			assertThat(pool.wakeUps()).isEqualTo(exchanges);
		}
		finally {
			pool.stop(5_000);
		}
	}

	@Test
	void onSaturatedCpusLongWaitsWakeNoMoreWorkers() throws Exception {
		// One worker awake by target and exchanges of a millisecond of CPU each: the oldest soon waits over 10 ms. On
		// saturated CPUs another worker would only take turns with the first, so the watchdog leaves the rest parked.
		Backlog backlog = cpuBoundBacklog(() -> true);
		assertThat(backlog.lagWakes()).as("wake requests for long waits").isZero();
		// Every wake-up past the producer's first answers a stall the watchdog saw: no take for 10 ms, which only a
		// machine that deschedules the awake worker causes (a count alone failed there: 4 wake-ups on a busy CI).
		assertThat(backlog.wakeUps()).isLessThanOrEqualTo(1 + backlog.stallWakes());
	}

	@Test
	void onIdleCpusLongWaitsWakeMoreWorkers() throws Exception {
		// The same backlog on CPUs with room to spare: a worker more per tick, until the waits are short again.
		assertThat(cpuBoundBacklog(() -> false).wakeUps()).isGreaterThanOrEqualTo(4);
	}

	@Test
	void onSaturatedCpusWorkersThatAllBlockStillGetHelp() throws Exception {
		// As the barrier test above, with the CPUs reported saturated (something else burns them): the watchdog waits
		// longer, but still wakes workers while none takes, so the exchanges meet at the barrier.
		CyclicBarrier allRunning = new CyclicBarrier(8);
		CountDownLatch finished = new CountDownLatch(8);
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(64);
		ExchangeRunner runner = new ExchangeRunner((exchange) -> {
			allRunning.await(20, TimeUnit.SECONDS);
			finished.countDown();
		}, DispatchObserver.NONE);
		PlatformWorkerPool pool = new PlatformWorkerPool(8, 2, NO_SAFETY_NET, () -> true, queue, runner,
				"test-worker-");
		try {
			Thread.sleep(200);
			for (int i = 0; i < 8; i++) {
				assertThat(queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()))).isTrue();
				pool.onEnqueued(1);
			}
			assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			pool.stop(5_000);
		}
	}

	private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("condition not met in 20 s").isLessThan(deadline);
			Thread.sleep(1);
		}
	}

	/** Exchanges that only compute, for {@code nanos} each, and count down {@code finished}. */
	private static ExchangeRunner computingFor(long nanos, CountDownLatch finished) {
		return computingFor(nanos, finished, new CountDownLatch(0));
	}

	/** The same, each first waiting for {@code start}. */
	private static ExchangeRunner computingFor(long nanos, CountDownLatch finished, CountDownLatch start) {
		return new ExchangeRunner((exchange) -> {
			start.await();
			long until = System.nanoTime() + nanos;
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			finished.countDown();
		}, DispatchObserver.NONE);
	}

	/** What an 8-worker pool (one awake by target) woke for 100 exchanges that each compute for a millisecond. */
	private Backlog cpuBoundBacklog(BooleanSupplier cpuBound) throws Exception {
		int exchanges = 100;
		CountDownLatch finished = new CountDownLatch(exchanges);
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(128);
		ExchangeRunner runner = computingFor(TimeUnit.MILLISECONDS.toNanos(1), finished);
		PlatformWorkerPool pool = new PlatformWorkerPool(8, 1, NO_SAFETY_NET, cpuBound, queue, runner,
				"test-worker-");
		try {
			Thread.sleep(200);
			for (int i = 0; i < exchanges; i++) {
				queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()));
			}
			pool.onEnqueued(exchanges);
			assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
			// Stopped first: the watchdog's counts are final when read.
			pool.stop(5_000);
			return new Backlog(pool.wakeUps(), pool.watchdog().stallWakes(), pool.watchdog().lagWakes());
		}
		finally {
			pool.stop(5_000);
		}
	}

	/** Parked workers woken in all, and the watchdog's wake requests by reason. */
	private record Backlog(long wakeUps, long stallWakes, long lagWakes) {
	}

}
