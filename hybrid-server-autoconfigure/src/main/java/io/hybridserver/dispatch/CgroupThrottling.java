package io.hybridserver.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How many times this process's control group ran out of its CPU quota: the {@code nr_throttled} count of the cgroup's
 * {@code cpu.stat} (cgroup v2, or v1's {@code cpu} controller). A container limited to, say, 1.5 CPUs is stopped for
 * the rest of a period once its threads used the quota, whatever the node has to spare; more threads cannot run then,
 * so {@link ProcessCpu} counts a window with a throttled period as CPU-bound.
 *
 * <p>Read once per {@link ProcessCpu} window (a few hundred bytes). Where there is no cgroup CPU controller (not Linux,
 * cgroup v2 without the {@code cpu} controller, no {@code /sys/fs/cgroup}) {@link #open} returns {@code null}.
 */
final class CgroupThrottling {

	private static final String NR_THROTTLED = "nr_throttled ";

	private final Path cpuStat;

	/** @param cpuStat the cgroup's {@code cpu.stat} file */
	CgroupThrottling(Path cpuStat) {
		this.cpuStat = cpuStat;
	}

	/** This process's cgroup, or {@code null} when it has no CPU controller to read. */
	static CgroupThrottling open() {
		try {
			Path cpuStat = locate(Files.readAllLines(Path.of("/proc/self/cgroup")),
					Files.readAllLines(Path.of("/proc/self/mountinfo")));
			if (cpuStat == null) {
				return null;
			}
			CgroupThrottling throttling = new CgroupThrottling(cpuStat);
			return (throttling.throttledPeriods() >= 0) ? throttling : null;
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** Periods in which the cgroup used up its quota, since it was made; -1 when the file cannot be read. */
	long throttledPeriods() {
		try {
			for (String line : Files.readAllLines(this.cpuStat)) {
				if (line.startsWith(NR_THROTTLED)) {
					return Long.parseLong(line.substring(NR_THROTTLED.length()).trim());
				}
			}
			return -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Where this process's cgroup {@code cpu.stat} is, from {@code /proc/self/cgroup} and {@code /proc/self/mountinfo}:
	 * the v1 {@code cpu} controller's hierarchy when it has one (a v2 hierarchy beside it then has no CPU controller),
	 * else the v2 hierarchy. {@code null} when neither is mounted.
	 */
	static Path locate(List<String> cgroups, List<String> mountinfo) {
		String v1 = null;
		String v2 = null;
		for (String line : cgroups) {
			// hierarchy-id:controllers:path
			String[] fields = line.split(":", 3);
			if (fields.length < 3) {
				continue;
			}
			if (fields[0].equals("0") && fields[1].isEmpty()) {
				v2 = fields[2];
			}
			else if (List.of(fields[1].split(",")).contains("cpu")) {
				v1 = fields[2];
			}
		}
		for (String line : mountinfo) {
			Mount mount = Mount.parse(line);
			if (mount == null) {
				continue;
			}
			if (v1 != null && mount.type().equals("cgroup") && List.of(mount.superOptions().split(",")).contains("cpu")) {
				return mount.pathOf(v1).resolve("cpu.stat");
			}
			if (v1 == null && v2 != null && mount.type().equals("cgroup2")) {
				return mount.pathOf(v2).resolve("cpu.stat");
			}
		}
		return null;
	}

	/** A line of {@code /proc/self/mountinfo}: the part of the hierarchy it shows, where, and its type. */
	private record Mount(String root, String mountPoint, String type, String superOptions) {

		/** {@code id parent dev root mount-point options [optional fields] - type source super-options} */
		static Mount parse(String line) {
			String[] fields = line.split(" ");
			int separator = List.of(fields).indexOf("-");
			if (separator < 5 || fields.length < separator + 4) {
				return null;
			}
			return new Mount(fields[3], fields[4], fields[separator + 1], fields[separator + 3]);
		}

		/**
		 * Where a cgroup of this hierarchy appears. In a container the mount shows only the container's own part
		 * (its root is the container's cgroup, or {@code /proc/self/cgroup} shows paths relative to the namespace).
		 */
		Path pathOf(String cgroup) {
			String relative = cgroup;
			if (!this.root.equals("/") && cgroup.startsWith(this.root)) {
				relative = cgroup.substring(this.root.length());
			}
			else if (!this.root.equals("/")) {
				relative = "/";
			}
			return Path.of(this.mountPoint, relative.isEmpty() ? "/" : relative);
		}

	}

}
