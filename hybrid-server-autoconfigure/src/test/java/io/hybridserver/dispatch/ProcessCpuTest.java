package io.hybridserver.dispatch;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProcessCpu} reads this JVM's real CPU use: a thread that computes for a few windows shows in it.
 */
class ProcessCpuTest {

	@Test
	void aComputingThreadShowsAsCpuUse() {
		ProcessCpu cpu = new ProcessCpu();
		long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * ProcessCpu.WINDOW_MILLIS);
		long spins = 0;
		while (System.nanoTime() < until) {
			spins++;
		}
		// This thread alone used about one CPU for the whole window; ticks of 10 ms and a busy machine blur that, but
		// not below half a CPU.
		assertThat(cpu.usedCpus()).as("CPUs used while spinning %d times", spins).isGreaterThan(0.5);
	}

	@Test
	void nothingIsMeasuredBeforeTheFirstWindowEnds() {
		assertThat(new ProcessCpu().usedCpus()).isZero();
	}

}
