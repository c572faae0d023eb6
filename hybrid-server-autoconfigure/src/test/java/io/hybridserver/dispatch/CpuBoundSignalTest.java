package io.hybridserver.dispatch;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.hybridserver.http.Exchange;
import io.hybridserver.queues.LockFreeQueues;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stall watchdog's CPU-bound signal ({@link ProcessCpu}) on this machine, read for real: CPUs that other processes
 * keep busy do not make this process CPU-bound, so workers blocked in {@code sleep()} are woken at once; workers of our
 * own that fill the CPUs do. Other processes here are shell loops, one per CPU, at the same priority as the test.
 */
@EnabledOnOs(OS.LINUX)
class CpuBoundSignalTest {

	private static final Exchange PLACEHOLDER = (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(),
			new Class<?>[] { Exchange.class }, (proxy, method, args) -> {
				if (method.getName().equals("toString")) {
					return "placeholder exchange";
				}
				throw new UnsupportedOperationException(method.getName());
			});

	private static final long NO_SAFETY_NET = TimeUnit.MINUTES.toNanos(10);

	private static final int CPUS = Runtime.getRuntime().availableProcessors();


	private final List<Process> burners = new ArrayList<>();

	@AfterEach
	void stopBurners() throws InterruptedException {
		for (Process burner : this.burners) {
			burner.destroyForcibly();
		}
		for (Process burner : this.burners) {
			burner.waitFor(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void workersThatSleepWhileOtherProcessesKeepEveryCpuBusyAreNotCpuBound() throws Exception {
		burnEveryCpu();
		CountDownLatch release = new CountDownLatch(1);
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Thread worker = new Thread(() -> {
				try {
					// Blocked, as on a remote call.
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, "idle-worker-" + i);
			worker.start();
			workers.add(worker);
		}
		try {
			ProcessCpu cpu = new ProcessCpu("idle-worker-");
			List<String> saturatedWindows = new ArrayList<>();
			for (int window = 0; window < 5; window++) {
				awaitWindowEnd();
				if (cpu.saturated()) {
					saturatedWindows.add(String.format("%.2f workers runnable, %.2f CPUs used", cpu.runnableThreads(),
							cpu.usedCpus()));
				}
			}
			assertBurnersRan();
			// However busy the CPUs, the workers want one only for a moment now and then.
			assertThat(saturatedWindows).as("windows counted CPU-bound").isEmpty();
		}
		finally {
			release.countDown();
			for (Thread worker : workers) {
				worker.join();
			}
		}
	}

	@Test
	void workersThatOutnumberTheCpusAndComputeAreCpuBound() throws Exception {
		// A pool that only computes, one worker more than there are CPUs: runnable all along, on a CPU or waiting for
		// one, whatever share of the CPUs the machine's other processes leave it.
		AtomicBoolean computing = new AtomicBoolean(true);
		// Counted once running: a thread gets its name (what the signal reads) as it starts.
		CountDownLatch running = new CountDownLatch(CPUS + 1);
		List<Thread> spinners = new ArrayList<>();
		for (int i = 0; i <= CPUS; i++) {
			Thread spinner = new Thread(() -> {
				running.countDown();
				while (computing.get()) {
					Thread.onSpinWait();
				}
			}, "spinning-worker-" + i);
			spinner.start();
			spinners.add(spinner);
		}
		try {
			running.await();
			ProcessCpu cpu = new ProcessCpu("spinning-worker-");
			// Three windows: the kernel adds a wait to a thread's count when the wait ends, so on a loaded machine one
			// window may miss a wait still under way that the next one counts.
			double runnable = 0;
			int saturated = 0;
			for (int window = 0; window < 3; window++) {
				awaitWindowEnd();
				saturated += cpu.saturated() ? 1 : 0;
				runnable += cpu.runnableThreads() / 3;
			}
			assertThat(runnable).as("workers runnable on average over three windows").isGreaterThanOrEqualTo(
					ProcessCpu.SATURATED * CPUS);
			assertThat(saturated).as("windows counted CPU-bound, of three").isPositive();
		}
		finally {
			computing.set(false);
			for (Thread spinner : spinners) {
				spinner.join();
			}
		}
	}

	@Test
	void workersBlockedInSleepAreWokenAtOnceWhileOtherProcessesKeepEveryCpuBusy() throws Exception {
		// Eight exchanges that each sleep half a second (a slow remote call), two workers awake by target: the other six
		// must be woken by the watchdog. Judged CPU-bound, it would wake one per 10 ms look; not CPU-bound, it wakes a
		// worker for every exchange waiting at its first look without a take.
		burnEveryCpu();
		int exchanges = 8;
		CountDownLatch started = new CountDownLatch(exchanges);
		MessagePassingQueue<QueuedExchange> queue = LockFreeQueues.mpmc(64);
		ExchangeRunner runner = new ExchangeRunner((exchange) -> {
			started.countDown();
			Thread.sleep(500);
		}, DispatchObserver.NONE);
		PlatformWorkerPool pool = new PlatformWorkerPool(exchanges, 2, NO_SAFETY_NET, new ProcessCpu("sleeping-worker-")::saturated,
				queue, runner, "sleeping-worker-");
		try {
			// The workers park, and the signal's first window passes with the CPUs busy, so that its first answer is
			// about them (the previous signal, how busy the machine's CPUs were, answered yes here).
			Thread.sleep(3 * ProcessCpu.WINDOW_MILLIS);
			for (int i = 0; i < exchanges; i++) {
				assertThat(queue.offer(new QueuedExchange(PLACEHOLDER, System.nanoTime()))).isTrue();
				pool.onEnqueued(1);
			}
			assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			// Stopped first: the watchdog's counts are final when read.
			pool.stop(5_000);
		}
		assertBurnersRan();
		StallWatchdog watchdog = pool.watchdog();
		// The rule, not a time: it never took the process for CPU-bound (which makes every look wait 10 ms), and the
		// workers beyond the two were woken by its looks. Which kind of wake-up it was depends on the scheduler: a look
		// that finds no take since the last one wakes a worker per waiting exchange; a look that comes late (the CPUs
		// are busy) and finds a take made meanwhile wakes one more for the exchange that waited past 10 ms.
		assertThat(watchdog.slowLooks()).as("looks after judging the process CPU-bound").isZero();
		assertThat(watchdog.stallWakes() + watchdog.lagWakes()).as("wake requests by the watchdog's looks")
			.isPositive();
		assertThat(pool.wakeUps()).isEqualTo(exchanges);
	}

	/** Starts a shell loop per CPU: other processes that keep every CPU busy. */
	private void burnEveryCpu() throws Exception {
		for (int i = 0; i < CPUS; i++) {
			this.burners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
		}
	}

	/** The shell loops got CPU time: they competed with this JVM's threads during the test. */
	private void assertBurnersRan() {
		Duration total = Duration.ZERO;
		for (Process burner : this.burners) {
			assertThat(burner.isAlive()).isTrue();
			total = total.plus(burner.info().totalCpuDuration().orElse(Duration.ZERO));
		}
		assertThat(total).as("CPU time of the other processes").isGreaterThan(Duration.ofMillis(100));
	}

	/** Waits (idle) until a window is complete, so that the next look measures it. */
	private static void awaitWindowEnd() throws InterruptedException {
		Thread.sleep(ProcessCpu.WINDOW_MILLIS + 20);
	}

}
