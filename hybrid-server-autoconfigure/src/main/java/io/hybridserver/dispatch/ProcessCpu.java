package io.hybridserver.dispatch;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether the CPUs this process may use were lately (nearly) all busy: because this process used them, or because
 * other processes did ({@link AllowedCpus}, on Linux). It is the {@link StallWatchdog}'s way to tell workers that wait
 * (on a database, a lock) from workers that simply share saturated CPUs. Waking more workers helps the first and only
 * adds context switches to the second; whether the CPUs are taken by this process or by a neighbour does not change
 * that.
 *
 * <p>Reads the JVM's process CPU time (and {@code /proc/stat}) at most once per {@value #WINDOW_MILLIS} ms; both count
 * in clock ticks (10 ms on Linux), so shorter windows would mostly measure the rounding. Without the JDK's management
 * extension and without {@code /proc} it never reports saturation, which keeps the watchdog's plain rules. Confined to
 * the watchdog's thread.
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

	/** Busy and total ticks of the CPUs this process may run on ({@link AllowedCpus#sample}); null when unknown. */
	private final Supplier<long[]> allowedCpuTicks;

	private long[] windowStartTicks;

	private double allowedCpusBusy;

	ProcessCpu() {
		this(allowedCpuTicks(AllowedCpus.open()));
	}

	/**
	 * @param allowedCpuTicks busy and total clock ticks of the CPUs this process may run on, as {@link AllowedCpus#sample}
	 * counts them ({@code null} when unknown)
	 */
	ProcessCpu(Supplier<long[]> allowedCpuTicks) {
		OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
		this.os = (bean instanceof com.sun.management.OperatingSystemMXBean extended
				&& extended.getProcessCpuTime() >= 0) ? extended : null;
		this.windowStartCpuNanos = (this.os != null) ? this.os.getProcessCpuTime() : 0;
		this.allowedCpuTicks = allowedCpuTicks;
		this.windowStartTicks = allowedCpuTicks.get();
	}

	private static Supplier<long[]> allowedCpuTicks(AllowedCpus allowed) {
		return (allowed != null) ? allowed::sample : () -> null;
	}

	/**
	 * Whether, over the last complete window, the process used at least {@link #SATURATED} of its CPUs, or the CPUs it
	 * may run on were busy (with anything) at least that share of the time.
	 */
	boolean saturated() {
		return usedCpus() >= SATURATED * this.cpus || this.allowedCpusBusy >= SATURATED;
	}

	/** The busy share of the CPUs this process may run on over the last complete window (0 when unknown). */
	double allowedCpusBusy() {
		usedCpus();
		return this.allowedCpusBusy;
	}

	/** CPUs the process used on average over the last complete window (0 when unknown). */
	double usedCpus() {
		long now = System.nanoTime();
		long elapsed = now - this.windowStartNanos;
		if (elapsed >= WINDOW_NANOS) {
			if (this.os != null) {
				long cpu = this.os.getProcessCpuTime();
				this.usedCpus = (double) (cpu - this.windowStartCpuNanos) / elapsed;
				this.windowStartCpuNanos = cpu;
			}
			this.allowedCpusBusy = allowedCpusBusySince();
			this.windowStartNanos = now;
		}
		return this.usedCpus;
	}

	/** The busy share of the allowed CPUs since the window started; starts the next window's count. */
	private double allowedCpusBusySince() {
		long[] start = this.windowStartTicks;
		long[] end = this.allowedCpuTicks.get();
		this.windowStartTicks = end;
		if (start == null || end == null || end[1] <= start[1]) {
			return 0;
		}
		return (double) (end[0] - start[0]) / (end[1] - start[1]);
	}

}
