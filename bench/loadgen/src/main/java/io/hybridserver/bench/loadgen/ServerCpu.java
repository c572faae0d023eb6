package io.hybridserver.bench.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time a server process has used, from {@code /proc/<pid>/stat}, when the harness names the process with
 * {@code -Dbench.serverPid}. Read at the edges of the measured window (after any warm-up), so that requests per server
 * CPU-second describe the measurement only.
 */
final class ServerCpu {

	private static final String PID = System.getProperty("bench.serverPid");

	private static final double TICKS_PER_SECOND = Double.parseDouble(System.getProperty("bench.clockTicks", "100"));

	private ServerCpu() {
	}

	/** The server's user + system CPU seconds so far, or {@code NaN} when unknown. */
	static double seconds() {
		if (PID == null) {
			return Double.NaN;
		}
		try {
			String stat = Files.readString(Path.of("/proc", PID, "stat"));
			// Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

	/** {@code " server_cpu_s=..."}, or nothing when unknown. */
	static String since(double start) {
		double now = seconds();
		return Double.isNaN(start) || Double.isNaN(now) ? "" : String.format(" server_cpu_s=%.2f", now - start);
	}

}
