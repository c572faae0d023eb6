package io.hybridserver.dispatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ThreadSchedStats} sums what this process's workers ran and waited for a CPU from Linux's per-thread schedstat
 * lines: here sample lines in a temporary directory laid out as {@code /proc/self/task} is, and this JVM's own.
 */
class ThreadSchedStatsTest {

	private static final long RELIST_NANOS = TimeUnit.MILLISECONDS.toNanos(ThreadSchedStats.RELIST_MILLIS);

	@TempDir
	Path tasks;

	private final AtomicLong clock = new AtomicLong(1_000_000_000L);

	@Test
	void threadsCountFromTheFirstSampleAndAddWhatTheyRanAndWaited() throws Exception {
		thread("101", "1000 500 3");
		thread("102", "2000 0 1");
		ThreadSchedStats stats = new ThreadSchedStats(this.tasks, "hybrid-worker-", this.clock::get);
		// Whatever the threads did before counts for no window.
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(0, 0));
		thread("101", "1500 900 5");
		thread("102", "2250 10 2");
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(750, 410));
		assertThat(stats.threads()).isEqualTo(2);
	}

	@Test
	void closingReleasesEveryOpenFileAndASampleAfterItStartsAfresh() throws Exception {
		thread("101", "1000 500 3");
		thread("102", "2000 0 1");
		ThreadSchedStats stats = new ThreadSchedStats(this.tasks, "hybrid-worker-", this.clock::get);
		stats.sample();
		assertThat(stats.threads()).isEqualTo(2);
		stats.close();
		assertThat(stats.threads()).isZero();
		// Reopened as a first list: what the threads did before counts for no window.
		this.clock.addAndGet(RELIST_NANOS);
		thread("101", "1500 900 5");
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(0, 0));
		assertThat(stats.threads()).isEqualTo(2);
	}

	@Test
	void aThreadBornAfterAListCountsWholeAndOneThatEndedKeepsItsCount() throws Exception {
		thread("101", "1000 500 3");
		thread("102", "2000 0 1");
		ThreadSchedStats stats = new ThreadSchedStats(this.tasks, "hybrid-worker-", this.clock::get);
		stats.sample();
		thread("102", "2100 40 2");
		stats.sample();
		// 103 starts and 102 ends; the list is read again after a second.
		thread("103", "300 200 2");
		Files.delete(this.tasks.resolve("102").resolve("schedstat"));
		Files.delete(this.tasks.resolve("102").resolve("comm"));
		Files.delete(this.tasks.resolve("102"));
		this.clock.addAndGet(RELIST_NANOS);
		ThreadSchedStats.Totals totals = stats.sample();
		assertThat(totals).isEqualTo(new ThreadSchedStats.Totals(100 + 300, 40 + 200));
		assertThat(stats.threads()).isEqualTo(2);
	}

	@Test
	void aThreadNotYetListedWaitsForTheNextList() throws Exception {
		thread("101", "1000 500 3");
		ThreadSchedStats stats = new ThreadSchedStats(this.tasks, "hybrid-worker-", this.clock::get);
		stats.sample();
		thread("104", "300 200 2");
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(0, 0));
		this.clock.addAndGet(RELIST_NANOS);
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(300, 200));
	}

	@Test
	void aFileThatReadsOddlyIsDroppedAndACounterThatGoesBackAddsNothing() throws Exception {
		thread("101", "1000 500 3");
		thread("102", "2000 100 1");
		ThreadSchedStats stats = new ThreadSchedStats(this.tasks, "hybrid-worker-", this.clock::get);
		stats.sample();
		thread("101", "not a schedstat line");
		thread("102", "1500 50 1");
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(0, 0));
		assertThat(stats.threads()).isEqualTo(1);
		thread("102", "1600 80 2");
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(100, 30));
	}

	@Test
	void fieldsAreDecimalNumbersSeparatedBySpaces() {
		ByteBuffer line = ascii("  12 345 6\n");
		assertThat(ThreadSchedStats.parseField(line)).isEqualTo(12);
		assertThat(ThreadSchedStats.parseField(line)).isEqualTo(345);
		assertThat(ThreadSchedStats.parseField(line)).isEqualTo(6);
		assertThat(ThreadSchedStats.parseField(line)).isEqualTo(-1);
		assertThat(ThreadSchedStats.parseField(ascii("12x 3"))).isEqualTo(-1);
		assertThat(ThreadSchedStats.parseField(ascii(""))).isEqualTo(-1);
		assertThat(ThreadSchedStats.parseField(ascii("1234567890123456789 1 1"))).isEqualTo(-1);
	}

	@Test
	void threadsThatAreNotWorkersAreNotRead() throws Exception {
		thread("101", "1000 500 3");
		thread("102", "C2 CompilerThre", "2000 0 1");
		ThreadSchedStats stats = new ThreadSchedStats(this.tasks, "hybrid-worker-", this.clock::get);
		stats.sample();
		thread("101", "1100 600 4");
		thread("102", "C2 CompilerThre", "9000 9000 9");
		assertThat(stats.sample()).isEqualTo(new ThreadSchedStats.Totals(100, 100));
		assertThat(stats.threads()).isEqualTo(1);
	}

	@Test
	void withoutTheDirectoryThereIsNothingToSample() {
		assertThat(new ThreadSchedStats(this.tasks.resolve("missing"), "w", this.clock::get).sample()).isNull();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void thisProcesssWorkersAreRead() throws Exception {
		// This test's thread stands for a worker: its name is set to the prefix, which Linux copies to comm.
		String name = Thread.currentThread().getName();
		Thread.currentThread().setName("sched-test-worker-1");
		try {
			ThreadSchedStats stats = ThreadSchedStats.workers("sched-test-worker-");
			assertThat(stats).isNotNull();
			ThreadSchedStats.Totals before = stats.sample();
			long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
			long spins = 0;
			while (System.nanoTime() < until) {
				spins++;
			}
			ThreadSchedStats.Totals after = stats.sample();
			// This thread computed for 50 ms of wall time: on a CPU or waiting for one, it was runnable all along.
			assertThat(after.ranNanos() - before.ranNanos() + after.waitedNanos() - before.waitedNanos())
				.as("nanoseconds run or waited while spinning %d times", spins)
				.isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
			assertThat(stats.threads()).isEqualTo(1);
		}
		finally {
			Thread.currentThread().setName(name);
		}
	}

	private void thread(String tid, String line) throws Exception {
		thread(tid, "hybrid-worker-" + tid, line);
	}

	/** A thread's directory; Linux cuts its name to 15 characters. */
	private void thread(String tid, String name, String line) throws Exception {
		Path dir = Files.createDirectories(this.tasks.resolve(tid));
		Files.writeString(dir.resolve("comm"), name.substring(0, Math.min(15, name.length())) + "\n");
		Files.writeString(dir.resolve("schedstat"), line + "\n");
	}

	private static ByteBuffer ascii(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
	}

}
