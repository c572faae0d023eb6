package io.hybridserver.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/**
 * How busy the CPUs this process may run on are, whoever keeps them busy: Linux's {@code /proc/stat} counters for the
 * CPUs of {@code /proc/self/status}'s {@code Cpus_allowed_list}. {@link ProcessCpu} asks it so that a machine whose
 * CPUs other processes fill counts as saturated too: there a worker that waits for the CPU looks to the
 * {@link StallWatchdog} like one that waits on I/O (long queue waits, a process using well under its CPUs), and
 * waking more workers only gives the scheduler more threads to rotate (measured: 30 workers took turns in 20 s of the
 * real application's JSON page on a loaded one-core server whose process got 77% of its core; docs/benchmarks.md).
 *
 * <p>Reads {@code /proc/stat} once per {@link ProcessCpu} window; elsewhere than on Linux {@link #open} returns
 * {@code null} and the process's own CPU use is the only measure.
 */
final class AllowedCpus {

	private static final Path STAT = Path.of("/proc/stat");

	private static final Path STATUS = Path.of("/proc/self/status");

	private final BitSet cpus;

	private AllowedCpus(BitSet cpus) {
		this.cpus = cpus;
	}

	/** The CPUs this process may run on, or {@code null} when the system does not tell (not Linux). */
	static AllowedCpus open() {
		try {
			for (String line : Files.readAllLines(STATUS)) {
				if (line.startsWith("Cpus_allowed_list:")) {
					BitSet cpus = parseCpuList(line.substring("Cpus_allowed_list:".length()));
					AllowedCpus allowed = new AllowedCpus(cpus);
					return (!cpus.isEmpty() && allowed.sample() != null) ? allowed : null;
				}
			}
			return null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Busy and total clock ticks of the allowed CPUs since boot ({@code [busy, total]}), or {@code null} when
	 * {@code /proc/stat} cannot be read. Busy is all but idle and I/O wait: a hypervisor's steal counts as busy, since
	 * no thread of ours can run then either.
	 */
	long[] sample() {
		try {
			return busyAndTotal(Files.readAllLines(STAT), this.cpus);
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** Parses a CPU list such as {@code 0-3,8,10-11}. */
	static BitSet parseCpuList(String list) {
		BitSet cpus = new BitSet();
		for (String part : list.trim().split(",")) {
			if (part.isEmpty()) {
				continue;
			}
			int dash = part.indexOf('-');
			int first = Integer.parseInt(part.substring(0, (dash < 0) ? part.length() : dash).trim());
			int last = (dash < 0) ? first : Integer.parseInt(part.substring(dash + 1).trim());
			cpus.set(first, last + 1);
		}
		return cpus;
	}

	/** Sums the {@code cpuN} lines of {@code /proc/stat} for the given CPUs into {@code [busy, total]} ticks. */
	static long[] busyAndTotal(List<String> stat, BitSet cpus) {
		long busy = 0;
		long total = 0;
		for (String line : stat) {
			if (line.length() < 4 || !line.startsWith("cpu") || !Character.isDigit(line.charAt(3))) {
				continue;
			}
			String[] fields = line.trim().split("\\s+");
			if (!cpus.get(Integer.parseInt(fields[0].substring(3)))) {
				continue;
			}
			// user nice system idle iowait irq softirq steal (guest time is already in user and nice)
			long all = 0;
			for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
				all += Long.parseLong(fields[i]);
			}
			long idle = Long.parseLong(fields[4]) + ((fields.length > 5) ? Long.parseLong(fields[5]) : 0);
			busy += all - idle;
			total += all;
		}
		return new long[] { busy, total };
	}

}
