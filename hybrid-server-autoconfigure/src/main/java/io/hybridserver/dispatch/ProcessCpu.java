package io.hybridserver.dispatch;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether this process's workers lately wanted more CPUs than it has: the {@link StallWatchdog}'s way to tell workers
 * that wait (on a database, a lock, a remote call) from workers that wait for a CPU. Waking more workers helps the
 * first; to the second it only adds threads that take turns on the same CPUs.
 *
 * <p>The rule, over the last complete window of {@value #WINDOW_MILLIS} ms, with {@code cpus} the JVM's available
 * processors (its affinity, or its container's quota rounded up): the process is CPU-bound when
 * <ul>
 * <li>its workers' time on a CPU plus their time runnable but waiting on a run queue ({@link ThreadSchedStats}, Linux's
 * per-thread schedstat) adds up to at least {@link #SATURATED} of {@code cpus}: on average that many of our workers
 * wanted a CPU at once, so they fill the CPUs we may use, whether because they compute or because other processes
 * leave us less than those CPUs; a worker blocked on I/O wants none;</li>
 * <li>or its cgroup ran out of its CPU quota at least once ({@link CgroupThrottling}): then nothing of ours runs until
 * the next period;</li>
 * <li>or the process used at least {@link #SATURATED} of {@code cpus} (the JVM's process CPU time): all that is left of
 * the rule where the system tells neither of the above, and what still holds the workers back when the event loops
 * fill the CPUs.</li>
 * </ul>
 * It describes this process, not the machine: a node that other containers keep over 90% busy is not CPU-bound for us
 * while our workers get a CPU when they want one, and workers blocked on I/O are then woken at once.
 *
 * <p>The counters are read at most once per window (one read per worker, {@link ThreadSchedStats}); shorter windows
 * would read more and decide nothing sooner, as the watchdog only holds back while the answer is yes. Without
 * {@code /proc} and without the JDK's management extension it never reports saturation, which keeps the watchdog's
 * plain rules. Confined to the watchdog's thread.
 */
final class ProcessCpu {

	static final long WINDOW_MILLIS = 100;

	/** Share of the available CPUs that runnable threads must fill for the process to count as CPU-bound. */
	static final double SATURATED = 0.9;

	private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);

	private final int cpus;

	private final LongSupplier clock;

	/** The process's CPU time in nanoseconds, or -1 when unknown. */
	private final LongSupplier processCpuNanos;

	/** The workers' scheduler counters, or {@code null} when the system does not tell. */
	private final ThreadSchedStats threads;

	/** The cgroup's count of throttled periods, or {@code null} when there is no CPU controller. */
	private final CgroupThrottling throttling;

	private long windowStartNanos;

	private long windowStartCpuNanos;

	private ThreadSchedStats.Totals windowStartThreads;

	private long windowStartThrottled;

	private double usedCpus;

	private double runnableThreads;

	private boolean throttled;

	/** @param workerNamePrefix how the names of the pool's workers start */
	ProcessCpu(String workerNamePrefix) {
		this(Runtime.getRuntime().availableProcessors(), processCpuTime(), ThreadSchedStats.workers(workerNamePrefix),
				CgroupThrottling.open(), System::nanoTime);
	}

	/**
	 * @param cpus the CPUs this process may use
	 * @param processCpuNanos the process's CPU time (-1 when unknown)
	 * @param threads its workers' scheduler counters ({@code null} when unknown)
	 * @param throttling its cgroup's throttling ({@code null} when unknown)
	 * @param clock nanoseconds of wall time
	 */
	ProcessCpu(int cpus, LongSupplier processCpuNanos, ThreadSchedStats threads, CgroupThrottling throttling,
			LongSupplier clock) {
		this.cpus = cpus;
		this.processCpuNanos = processCpuNanos;
		this.threads = threads;
		this.throttling = throttling;
		this.clock = clock;
		this.windowStartNanos = clock.getAsLong();
		this.windowStartCpuNanos = processCpuNanos.getAsLong();
		this.windowStartThreads = (threads != null) ? threads.sample() : null;
		this.windowStartThrottled = (throttling != null) ? throttling.throttledPeriods() : -1;
	}

	private static LongSupplier processCpuTime() {
		OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
		if (bean instanceof com.sun.management.OperatingSystemMXBean extended && extended.getProcessCpuTime() >= 0) {
			return extended::getProcessCpuTime;
		}
		return () -> -1;
	}

	/** Releases the files the signal keeps open; called when the pool that asked has stopped. */
	void close() {
		if (this.threads != null) {
			this.threads.close();
		}
	}

	/** Whether, over the last complete window, the process was CPU-bound by the rule of the class comment. */
	boolean saturated() {
		update();
		double enough = SATURATED * this.cpus;
		return this.runnableThreads >= enough || this.throttled || this.usedCpus >= enough;
	}

	/** CPUs the process used on average over the last complete window (0 when unknown). */
	double usedCpus() {
		update();
		return this.usedCpus;
	}

	/**
	 * How many of the workers were on a CPU or waiting on a run queue for one, on average over the last complete window
	 * (0 when unknown).
	 */
	double runnableThreads() {
		update();
		return this.runnableThreads;
	}

	/** Whether the process's cgroup ran out of its quota during the last complete window. */
	boolean throttled() {
		update();
		return this.throttled;
	}

	/** Ends the window when it is complete, and starts the next. */
	private void update() {
		long now = this.clock.getAsLong();
		long elapsed = now - this.windowStartNanos;
		if (elapsed < WINDOW_NANOS) {
			return;
		}
		long cpu = this.processCpuNanos.getAsLong();
		this.usedCpus = (cpu >= 0 && this.windowStartCpuNanos >= 0)
				? (double) (cpu - this.windowStartCpuNanos) / elapsed : 0;
		this.windowStartCpuNanos = cpu;
		if (this.threads != null) {
			ThreadSchedStats.Totals start = this.windowStartThreads;
			ThreadSchedStats.Totals end = this.threads.sample();
			this.runnableThreads = (start != null && end != null) ? (double) (end.ranNanos() - start.ranNanos()
					+ end.waitedNanos() - start.waitedNanos()) / elapsed : 0;
			this.windowStartThreads = end;
		}
		if (this.throttling != null) {
			long periods = this.throttling.throttledPeriods();
			this.throttled = periods >= 0 && this.windowStartThrottled >= 0 && periods > this.windowStartThrottled;
			this.windowStartThrottled = periods;
		}
		this.windowStartNanos = now;
	}

}
