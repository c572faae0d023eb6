package io.hybridserver.dispatch;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ProcessCpu} reads this JVM's real CPU use: a thread that computes for a few windows shows in it.
 */
class ProcessCpuTest {

	@Test
	void aComputingThreadShowsAsCpuUse() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long threadCpuStart = threads.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		ProcessCpu cpu = new ProcessCpu();
		long minimumWall = TimeUnit.MILLISECONDS.toNanos(3 * ProcessCpu.WINDOW_MILLIS);
		long minimumCpu = TimeUnit.MILLISECONDS.toNanos(200);
		long spins = 0;
		// Spin until the window is complete and this thread got enough CPU for 10 ms clock ticks not to matter, however
		// busy the machine is: on a shared one the thread may get a small share of a CPU, so the share it got, not a
		// fixed figure, is what the process's measure must show.
		while (System.nanoTime() - start < minimumWall || threads.getCurrentThreadCpuTime() - threadCpuStart < minimumCpu) {
			spins++;
		}
		double used = cpu.usedCpus();
		double threadShare = (double) (threads.getCurrentThreadCpuTime() - threadCpuStart) / (System.nanoTime() - start);
		// The process's CPU includes this thread's; ticks blur both by a few percent.
		assertThat(used).as("CPUs used while spinning %d times; this thread alone used %.2f", spins, threadShare)
			.isGreaterThan(0.8 * threadShare);
	}

	@Test
	void nothingIsMeasuredBeforeTheFirstWindowEnds() {
		assertThat(new ProcessCpu().usedCpus()).isZero();
	}

	@Test
	void cpusThatOtherProcessesKeepBusyCountAsSaturated() throws Exception {
		// The process itself idles; the CPUs it may run on were busy 95 of 100 ticks (a neighbour's load): as saturated
		// as if this process used them, since a worker woken now would only wait for the CPU too.
		AtomicReference<long[]> ticks = new AtomicReference<>(new long[] { 1_000, 2_000 });
		ProcessCpu cpu = new ProcessCpu(ticks::get);
		ticks.set(new long[] { 1_095, 2_100 });
		awaitWindowEnd(cpu);
		assertThat(cpu.allowedCpusBusy()).isCloseTo(0.95, within(1e-9));
		assertThat(cpu.saturated()).isTrue();
	}

	@Test
	void cpusWithRoomToSpareDoNotCountAsSaturated() throws Exception {
		AtomicReference<long[]> ticks = new AtomicReference<>(new long[] { 1_000, 2_000 });
		ProcessCpu cpu = new ProcessCpu(ticks::get);
		ticks.set(new long[] { 1_050, 2_100 });
		awaitWindowEnd(cpu);
		assertThat(cpu.allowedCpusBusy()).isCloseTo(0.5, within(1e-9));
		assertThat(cpu.saturated()).isFalse();
	}

	@Test
	void withoutCountersOnlyTheProcessCounts() throws Exception {
		ProcessCpu cpu = new ProcessCpu(() -> null);
		awaitWindowEnd(cpu);
		assertThat(cpu.allowedCpusBusy()).isZero();
		assertThat(cpu.saturated()).isFalse();
	}

	/** Waits (idle) until a window is complete, so that the next look measures it. */
	private static void awaitWindowEnd(ProcessCpu cpu) throws InterruptedException {
		Thread.sleep(ProcessCpu.WINDOW_MILLIS + 20);
	}

}
