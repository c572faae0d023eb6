package io.hybridserver.dispatch;

import java.util.BitSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AllowedCpus} reads Linux's CPU counters for the CPUs this process may run on.
 */
class AllowedCpusTest {

	private static final List<String> STAT = List.of(
			"cpu  500 0 100 1000 50 0 10 40 0 0",
			"cpu0 300 0 50 100 10 0 5 35 0 0",
			"cpu1 200 0 50 900 40 0 5 5 0 0",
			"intr 12345 0 0",
			"ctxt 99999",
			"cpu_not_a_cpu 1 2 3");

	@Test
	void cpuListsAreRangesAndSingleCpus() {
		BitSet cpus = AllowedCpus.parseCpuList(" 0-3,8,10-11\n");
		assertThat(cpus.stream().toArray()).containsExactly(0, 1, 2, 3, 8, 10, 11);
		assertThat(AllowedCpus.parseCpuList("0").stream().toArray()).containsExactly(0);
	}

	@Test
	void onlyTheAllowedCpusCountAndStealIsBusy() {
		// cpu0: user 300, system 50, softirq 5, steal 35 busy; idle 100 and iowait 10 not.
		assertThat(AllowedCpus.busyAndTotal(STAT, AllowedCpus.parseCpuList("0"))).containsExactly(390, 500);
		assertThat(AllowedCpus.busyAndTotal(STAT, AllowedCpus.parseCpuList("1"))).containsExactly(260, 1200);
		assertThat(AllowedCpus.busyAndTotal(STAT, AllowedCpus.parseCpuList("0-1"))).containsExactly(650, 1700);
		assertThat(AllowedCpus.busyAndTotal(STAT, AllowedCpus.parseCpuList("5"))).containsExactly(0, 0);
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void thisMachinesCountersAreRead() {
		AllowedCpus cpus = AllowedCpus.open();
		assertThat(cpus).isNotNull();
		long[] ticks = cpus.sample();
		assertThat(ticks[1]).isPositive();
		assertThat(ticks[0]).isBetween(0L, ticks[1]);
	}

}
