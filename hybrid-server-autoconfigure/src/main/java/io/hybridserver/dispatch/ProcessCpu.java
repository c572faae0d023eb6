package io.hybridserver.dispatch;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Whether this process lately used (nearly) all the CPUs it may use: the {@link StallWatchdog}'s way to tell workers
 * that wait (on a database, a lock) from workers that simply share saturated CPUs. Waking more workers helps the first
 * and only adds context switches to the second.
 *
 * <p>Reads the JVM's process CPU time at most once per {@value #WINDOW_MILLIS} ms; the JDK counts it in clock ticks
 * (10 ms on Linux), so shorter windows would mostly measure the rounding. Without the JDK's management extension it
 * never reports saturation, which keeps the watchdog's plain rules. Confined to the watchdog's thread.
 */
final class ProcessCpu {

	static final long WINDOW_MILLIS = 100;

	/** Share of the available CPUs above which the process counts as CPU-bound. */
	static final double SATURATED = 0.9;

	private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);

	private final com.sun.management.OperatingSystemMXBean os;

	private final int cpus = Runtime.getRuntime().availableProcessors();

	private long windowStartNanos = System.nanoTime();

	private long windowStartCpuNanos;

	private double usedCpus;

	ProcessCpu() {
		OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
		this.os = (bean instanceof com.sun.management.OperatingSystemMXBean extended
				&& extended.getProcessCpuTime() >= 0) ? extended : null;
		this.windowStartCpuNanos = (this.os != null) ? this.os.getProcessCpuTime() : 0;
	}

	/** Whether the process used at least {@link #SATURATED} of its CPUs over the last complete window. */
	boolean saturated() {
		return usedCpus() >= SATURATED * this.cpus;
	}

	/** CPUs the process used on average over the last complete window (0 when unknown). */
	double usedCpus() {
		if (this.os == null) {
			return 0;
		}
		long now = System.nanoTime();
		long elapsed = now - this.windowStartNanos;
		if (elapsed >= WINDOW_NANOS) {
			long cpu = this.os.getProcessCpuTime();
			this.usedCpus = (double) (cpu - this.windowStartCpuNanos) / elapsed;
			this.windowStartNanos = now;
			this.windowStartCpuNanos = cpu;
		}
		return this.usedCpus;
	}

}
