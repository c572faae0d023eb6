package io.hybridserver.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * How long this process's worker threads ran on a CPU and how long they waited on a run queue for one, summed over the
 * threads whose name starts with the pool's prefix: Linux's {@code /proc/self/task/<tid>/schedstat} (first field:
 * nanoseconds on a CPU, second: nanoseconds runnable but waiting for a CPU; {@code comm} holds the thread's name, cut
 * to 15 characters). {@link ProcessCpu} turns the two into "how many of our workers wanted a CPU", which describes the
 * pool whatever else runs on the machine: a node that other containers keep busy shows in it only as far as our
 * workers had to wait, and a worker blocked on I/O wants none.
 *
 * <p>Workers only, not every thread of the process: on a machine loaded far beyond its CPUs (measured: a load of 20 on
 * two CPUs), every thread of ours that wakes waits tens of milliseconds for a CPU, the JVM's periodic and compiler
 * threads included; summed, they looked like two threads wanting a CPU while the workers all slept.
 *
 * <p>Cheap enough for a look every {@value ProcessCpu#WINDOW_MILLIS} ms: each worker's file stays open and is read again
 * at offset 0 (procfs writes it anew), one system call per worker and no allocation; the thread list is read again at
 * most every {@value #RELIST_MILLIS} ms (measured on the loaded machine: 2.8-4.3 us per thread, 0.6-1 ms for a JVM of
 * 224 threads all counted). A thread found in a new list was born after the previous list was read (thread
 * ids are not reused that fast), so its whole count is new; a thread that ended keeps what was counted of it. So the
 * totals only grow, and a difference of two samples is what the threads did between them, give or take the last moments
 * of threads that ended.
 *
 * <p>One instance per worker pool, confined to its watchdog; a caller that finds another one sampling does not wait
 * for it and gets the latest totals.
 */
final class ThreadSchedStats {

	/**
	 * How often the thread list is read again: once per {@link ProcessCpu} window, as the workers the watchdog starts
	 * are the ones that must be seen soon (listed once a second, a pool that grew in a burst went unseen for its whole
	 * burst). A known thread costs a map look-up; only a new one has its name read.
	 */
	static final long RELIST_MILLIS = ProcessCpu.WINDOW_MILLIS;

	private static final long RELIST_NANOS = TimeUnit.MILLISECONDS.toNanos(RELIST_MILLIS);

	private static final Path TASKS = Path.of("/proc/self/task");

	/** Two 20-digit numbers, a 10-digit one and separators fit; longer content is not a schedstat line. */
	private static final int MAX_LINE = 64;

	/** Linux keeps 15 characters of a thread's name. */
	private static final int MAX_COMM = 15;

	private static final Path OWN_SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

	private final Path taskDir;

	/** The first 15 characters of the workers' names: all of a name the kernel keeps. */
	private final String namePrefix;

	private final LongSupplier clock;

	private final ReentrantLock sampling = new ReentrantLock();

	/** The threads' open schedstat files by thread id; guarded by {@link #sampling}. */
	private final Map<String, ThreadFile> threads = new HashMap<>();

	private final ByteBuffer buffer = ByteBuffer.allocate(MAX_LINE);

	private long listedNanos;

	/** Whether a thread list was read before: threads of the first list are counted from then, later ones from birth. */
	private boolean listed;

	private long ranNanos;

	private long waitedNanos;

	/** What the last {@link #read} parsed: fields rather than a result object, so that a sample allocates nothing. */
	private long parsedRan;

	private long parsedWaited;

	private volatile Totals latest;

	/**
	 * Reads the threads under {@code taskDir} (one directory per thread, each with {@code comm} and {@code schedstat}
	 * files) whose name starts with {@code namePrefix}.
	 * @param clock nanoseconds for the thread list's age
	 */
	ThreadSchedStats(Path taskDir, String namePrefix, LongSupplier clock) {
		this.taskDir = taskDir;
		this.namePrefix = namePrefix.substring(0, Math.min(MAX_COMM, namePrefix.length()));
		this.clock = clock;
	}

	/**
	 * This process's threads named {@code namePrefix}..., or {@code null} when the system does not tell (not Linux, no
	 * {@code /proc}, or a kernel without scheduler statistics, whose files read all zeros).
	 */
	static ThreadSchedStats workers(String namePrefix) {
		ThreadSchedStats stats = new ThreadSchedStats(TASKS, namePrefix, System::nanoTime);
		// No worker may have started yet: this JVM's own file tells whether the kernel counts.
		return (stats.sample() != null && kernelCounts()) ? stats : null;
	}

	/** Whether the kernel keeps scheduler statistics: the calling thread has run, so its own file shows it. */
	private static boolean kernelCounts() {
		try {
			ByteBuffer line = ByteBuffer.wrap(Files.readAllBytes(OWN_SCHEDSTAT));
			return parseField(line) > 0;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Nanoseconds the threads ran and waited for a CPU, counted since the first sample; {@code null} when the thread
	 * list cannot be read. Never waits: when another thread is sampling, the latest totals.
	 */
	Totals sample() {
		if (!this.sampling.tryLock()) {
			return this.latest;
		}
		try {
			long now = this.clock.getAsLong();
			if (!this.listed || now - this.listedNanos >= RELIST_NANOS) {
				if (!relist()) {
					return null;
				}
				this.listedNanos = now;
			}
			readAll();
			Totals totals = new Totals(this.ranNanos, this.waitedNanos);
			this.latest = totals;
			return totals;
		}
		finally {
			this.sampling.unlock();
		}
	}

	/** Workers whose files are open now: for tests. */
	int threads() {
		this.sampling.lock();
		try {
			return (int) this.threads.values().stream().filter((thread) -> thread.channel != null).count();
		}
		finally {
			this.sampling.unlock();
		}
	}

	/** Opens the files of threads not seen before and closes those of threads gone; false when the list is unreadable. */
	private boolean relist() {
		boolean first = !this.listed;
		for (ThreadFile thread : this.threads.values()) {
			thread.listed = false;
		}
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(this.taskDir)) {
			for (Path task : tasks) {
				String tid = task.getFileName().toString();
				ThreadFile thread = this.threads.get(tid);
				if (thread == null) {
					thread = openThread(task, first);
					if (thread == null) {
						continue;
					}
					this.threads.put(tid, thread);
				}
				else if (thread.channel == null && thread.nameUnsure) {
					// A thread gets its name just after it starts: one more look, then it is another thread for good.
					ThreadFile again = openThread(task, false);
					if (again != null && again.channel != null) {
						this.threads.put(tid, again);
						thread = again;
					}
					thread.nameUnsure = false;
				}
				thread.listed = true;
			}
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
		for (Iterator<ThreadFile> it = this.threads.values().iterator(); it.hasNext();) {
			ThreadFile thread = it.next();
			if (!thread.listed) {
				thread.close();
				it.remove();
			}
		}
		this.listed = true;
		return true;
	}

	/**
	 * A worker's open file, or one without a file for another thread ({@code null} when the thread ended). A thread of
	 * the first list counts from now; a later one from its birth, which came after the previous list.
	 */
	private ThreadFile openThread(Path task, boolean countFromNow) {
		FileChannel channel;
		try {
			if (!Files.readString(task.resolve("comm")).startsWith(this.namePrefix)) {
				return new ThreadFile(null);
			}
			channel = FileChannel.open(task.resolve("schedstat"), StandardOpenOption.READ);
		}
		catch (IOException | RuntimeException ex) {
			// Ended between the list and the open, or not a thread's directory.
			return null;
		}
		ThreadFile thread = new ThreadFile(channel);
		if (countFromNow) {
			if (!read(thread)) {
				thread.close();
				return new ThreadFile(null);
			}
			thread.ranNanos = this.parsedRan;
			thread.waitedNanos = this.parsedWaited;
		}
		return thread;
	}

	/** Adds what each thread ran and waited since the last read; drops threads that ended. */
	private void readAll() {
		for (Iterator<ThreadFile> it = this.threads.values().iterator(); it.hasNext();) {
			ThreadFile thread = it.next();
			if (thread.channel == null) {
				continue;
			}
			if (!read(thread)) {
				thread.close();
				it.remove();
				continue;
			}
			// A counter never goes back; a file that reads less now is not the same thread's, so it adds nothing.
			this.ranNanos += Math.max(0, this.parsedRan - thread.ranNanos);
			this.waitedNanos += Math.max(0, this.parsedWaited - thread.waitedNanos);
			thread.ranNanos = this.parsedRan;
			thread.waitedNanos = this.parsedWaited;
		}
	}

	/** Reads a thread's file into {@link #parsedRan} and {@link #parsedWaited}; false when it ended or reads oddly. */
	private boolean read(ThreadFile thread) {
		this.buffer.clear();
		try {
			// Positional reads: at offset 0 procfs formats the line anew. It arrives in one read, but nothing promises it.
			int read;
			do {
				read = thread.channel.read(this.buffer, this.buffer.position());
			}
			while (read > 0 && this.buffer.hasRemaining());
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
		this.buffer.flip();
		return parse(this.buffer);
	}

	/** Parses {@code ran waited slices} from a schedstat line into {@link #parsedRan} and {@link #parsedWaited}. */
	private boolean parse(ByteBuffer line) {
		long ran = parseField(line);
		long waited = parseField(line);
		if (ran < 0 || waited < 0) {
			return false;
		}
		this.parsedRan = ran;
		this.parsedWaited = waited;
		return true;
	}

	/** The next decimal field, skipping spaces before it; -1 when there is none or it is not a number. */
	static long parseField(ByteBuffer line) {
		while (line.hasRemaining() && line.get(line.position()) == ' ') {
			line.get();
		}
		long value = 0;
		int digits = 0;
		while (line.hasRemaining()) {
			byte b = line.get(line.position());
			if (b < '0' || b > '9') {
				break;
			}
			line.get();
			if (++digits > 18) {
				return -1;
			}
			value = value * 10 + (b - '0');
		}
		if (digits == 0 || (line.hasRemaining() && line.get(line.position()) != ' '
				&& line.get(line.position()) != '\n')) {
			return -1;
		}
		return value;
	}

	/**
	 * Closes the workers' files: called once the pool has stopped, so that a stopped server holds no descriptor of
	 * threads that are gone. A later sample would open them again.
	 */
	void close() {
		this.sampling.lock();
		try {
			this.threads.values().forEach(ThreadFile::close);
			this.threads.clear();
			this.listed = false;
		}
		finally {
			this.sampling.unlock();
		}
	}

	/** Cumulative nanoseconds on a CPU and waiting on a run queue, summed over this process's threads. */
	record Totals(long ranNanos, long waitedNanos) {
	}

	private static final class ThreadFile {

		final FileChannel channel;

		long ranNanos;

		long waitedNanos;

		boolean listed;

		/** Whether a thread without a file (not a worker) may yet get a worker's name. */
		boolean nameUnsure = true;

		/** @param channel the worker's schedstat file, {@code null} for another thread */
		ThreadFile(FileChannel channel) {
			this.channel = channel;
		}

		void close() {
			if (this.channel == null) {
				return;
			}
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// A read-only procfs file: nothing was written that closing could lose.
			}
		}

	}

}
