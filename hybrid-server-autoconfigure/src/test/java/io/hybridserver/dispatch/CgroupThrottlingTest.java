package io.hybridserver.dispatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CgroupThrottling} finds this process's cgroup {@code cpu.stat} (v1 or v2, on a host or in a container) and
 * reads its count of throttled periods: sample {@code /proc/self/cgroup}, {@code mountinfo} and {@code cpu.stat} text.
 */
class CgroupThrottlingTest {

	private static final String V2_MOUNT = "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4"
			+ " - cgroup2 cgroup2 rw,nsdelegate";

	@TempDir
	Path dir;

	@Test
	void aContainersV2CgroupIsTheMountsRoot() {
		assertThat(CgroupThrottling.locate(List.of("0::/"), List.of(V2_MOUNT)))
			.isEqualTo(Path.of("/sys/fs/cgroup/cpu.stat"));
	}

	@Test
	void aHostsV2CgroupIsAPathUnderTheMount() {
		assertThat(CgroupThrottling.locate(List.of("0::/kubepods.slice/pod-1/cri-2"), List.of(V2_MOUNT)))
			.isEqualTo(Path.of("/sys/fs/cgroup/kubepods.slice/pod-1/cri-2/cpu.stat"));
	}

	@Test
	void v1sCpuControllerWinsOverAV2HierarchyWithoutIt() {
		// A hybrid host, as this machine: v1 controllers, and a v2 hierarchy with none of them.
		List<String> cgroups = List.of("4:memory:/process_api/1", "2:cpuacct:/", "1:cpu:/", "0::/");
		List<String> mounts = List.of(
				"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
				"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
				"33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
				"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
		assertThat(CgroupThrottling.locate(cgroups, mounts)).isEqualTo(Path.of("/sys/fs/cgroup/cpu/cpu.stat"));
	}

	@Test
	void aV1ContainerSeesItsOwnCgroupAtTheMountPoint() {
		// Docker without a cgroup namespace: the mount's root is the container's cgroup, which /proc/self/cgroup names.
		List<String> cgroups = List.of("3:cpu,cpuacct:/docker/abc");
		List<String> mounts = List.of(
				"40 35 0:33 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup rw,cpu,cpuacct");
		assertThat(CgroupThrottling.locate(cgroups, mounts))
			.isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct/cpu.stat"));
	}

	@Test
	void withoutACgroupMountThereIsNothingToRead() {
		assertThat(CgroupThrottling.locate(List.of("0::/"), List.of("22 1 8:1 / / rw - ext4 /dev/sda1 rw"))).isNull();
		assertThat(CgroupThrottling.locate(List.of(), List.of(V2_MOUNT))).isNull();
	}

	@Test
	void throttledPeriodsAreReadFromV2AndV1Stats() throws Exception {
		Path v2 = Files.writeString(this.dir.resolve("v2.stat"), """
				usage_usec 8123456
				user_usec 7000000
				system_usec 1123456
				nr_periods 540
				nr_throttled 37
				throttled_usec 2250000
				nr_bursts 0
				burst_usec 0
				""");
		assertThat(new CgroupThrottling(v2).throttledPeriods()).isEqualTo(37);
		Path v1 = Files.writeString(this.dir.resolve("v1.stat"), """
				nr_periods 0
				nr_throttled 0
				throttled_time 0
				""");
		assertThat(new CgroupThrottling(v1).throttledPeriods()).isZero();
	}

	@Test
	void aStatWithoutThrottlingOrNoFileReadsAsUnknown() throws Exception {
		// cgroup v2 without the cpu controller enabled: usage only, no quota that could throttle.
		Path usageOnly = Files.writeString(this.dir.resolve("usage.stat"), "usage_usec 1\nuser_usec 1\nsystem_usec 0\n");
		assertThat(new CgroupThrottling(usageOnly).throttledPeriods()).isEqualTo(-1);
		assertThat(new CgroupThrottling(this.dir.resolve("missing")).throttledPeriods()).isEqualTo(-1);
	}

}
