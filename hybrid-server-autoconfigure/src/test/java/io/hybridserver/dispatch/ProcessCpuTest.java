package io.hybridserver.dispatch;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link ProcessCpu}'s rule on sample counters (schedstat lines and a cgroup {@code cpu.stat} in a temporary directory,
 * and a clock the test moves), and the JVM's own CPU use read for real. {@code CpuBoundSignalTest} has the rule on this
 * machine, against other processes and against threads of our own.
 */
class ProcessCpuTest {

	private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(ProcessCpu.WINDOW_MILLIS);

	@TempDir
	Path dir;

	private final AtomicLong clock = new AtomicLong(5_000_000_000L);

	private final AtomicLong processCpu = new AtomicLong();

	@Test
	void threadsThatRanOrWaitedForACpuAsManyAsThereAreCpusAreCpuBound() throws Exception {
		// Two CPUs; in 100 ms our threads ran 80 ms and waited 110 ms on run queues: 1.9 threads wanted a CPU on
		// average, though the process used only 0.8 of its two CPUs (the rest went to other processes).
		ProcessCpu cpu = withThreads(2, "1000 0 1", "80001000 110000000 9");
		assertThat(cpu.runnableThreads()).isCloseTo(1.9, within(1e-9));
		assertThat(cpu.usedCpus()).isCloseTo(0.8, within(1e-9));
		assertThat(cpu.saturated()).isTrue();
	}

	@Test
	void threadsThatWaitALittleOnABusyMachineAreNotCpuBound() throws Exception {
		// The same two CPUs kept busy by others, but our threads mostly sleep (on I/O): 10 ms run, 20 ms waited.
		ProcessCpu cpu = withThreads(2, "1000 0 1", "10001000 20000000 40");
		assertThat(cpu.runnableThreads()).isCloseTo(0.3, within(1e-9));
		assertThat(cpu.saturated()).isFalse();
	}

	@Test
	void aThrottledCgroupIsCpuBoundWhateverItsThreadsShow() throws Exception {
		Path stat = this.dir.resolve("cpu.stat");
		Files.writeString(stat, "nr_periods 10\nnr_throttled 3\nthrottled_usec 1000\n");
		ProcessCpu cpu = new ProcessCpu(4, this.processCpu::get, null, new CgroupThrottling(stat), this.clock::get);
		Files.writeString(stat, "nr_periods 11\nnr_throttled 4\nthrottled_usec 60000\n");
		this.clock.addAndGet(WINDOW_NANOS);
		assertThat(cpu.throttled()).isTrue();
		assertThat(cpu.saturated()).isTrue();
		// The next window without a throttled period is not.
		this.clock.addAndGet(WINDOW_NANOS);
		assertThat(cpu.saturated()).isFalse();
	}

	@Test
	void withoutProcCountersTheProcesssOwnCpuUseDecides() {
		ProcessCpu cpu = new ProcessCpu(1, this.processCpu::get, null, null, this.clock::get);
		this.processCpu.addAndGet(TimeUnit.MILLISECONDS.toNanos(95));
		this.clock.addAndGet(WINDOW_NANOS);
		assertThat(cpu.saturated()).isTrue();
		this.processCpu.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
		this.clock.addAndGet(WINDOW_NANOS);
		assertThat(cpu.saturated()).isFalse();
	}

	@Test
	void withoutAnyCounterItIsNeverCpuBound() {
		ProcessCpu cpu = new ProcessCpu(1, () -> -1, null, null, this.clock::get);
		this.clock.addAndGet(WINDOW_NANOS);
		assertThat(cpu.usedCpus()).isZero();
		assertThat(cpu.saturated()).isFalse();
	}

	@Test
	void nothingIsMeasuredBeforeTheFirstWindowEnds() throws Exception {
		ProcessCpu cpu = withThreadsBeforeWindowEnd(1, "1000 0 1");
		Files.writeString(this.dir.resolve("7").resolve("schedstat"), "900001000 900000000 9\n");
		this.clock.addAndGet(WINDOW_NANOS - 1);
		assertThat(cpu.runnableThreads()).isZero();
		assertThat(cpu.saturated()).isFalse();
		assertThat(new ProcessCpu("worker-").usedCpus()).isZero();
	}

	@Test
	void aComputingThreadShowsAsCpuUse() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long threadCpuStart = threads.getCurrentThreadCpuTime();
		long start = System.nanoTime();
		ProcessCpu cpu = new ProcessCpu("worker-");
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

	/** A process with one thread whose schedstat goes from {@code before} to {@code after} in one window. */
	private ProcessCpu withThreads(int cpus, String before, String after) throws Exception {
		ProcessCpu cpu = withThreadsBeforeWindowEnd(cpus, before);
		Files.writeString(this.dir.resolve("7").resolve("schedstat"), after + "\n");
		String ran = after.split(" ")[0];
		this.processCpu.set(Long.parseLong(ran) - Long.parseLong(before.split(" ")[0]));
		this.clock.addAndGet(WINDOW_NANOS);
		return cpu;
	}

	private ProcessCpu withThreadsBeforeWindowEnd(int cpus, String before) throws Exception {
		Path thread = Files.createDirectories(this.dir.resolve("7"));
		Files.writeString(thread.resolve("comm"), "worker-7\n");
		Files.writeString(thread.resolve("schedstat"), before + "\n");
		return new ProcessCpu(cpus, this.processCpu::get, new ThreadSchedStats(this.dir, "worker-", this.clock::get), null,
				this.clock::get);
	}

}
