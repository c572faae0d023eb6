package io.hybridserver.testsupport;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.EventExecutor;

import io.hybridserver.boot.HybridWebServer;

/**
 * Bytes allocated on a server's own threads (its event loops and the workers that ran the application) over some
 * requests, as the allocation tests measure them. The application calls {@link #ranOnWorker()} from its handler so
 * that the workers that ran it are counted.
 *
 * <p>Netty's leak detection runs at {@code paranoid} in tests and records a stack trace per buffer, which would count
 * as the server's allocation: a {@link Window} pauses it until closed. Buffers pooled while it was on carry its
 * wrappers, so a test runs one round of requests after {@link #open} and before {@link Window#mark()}.
 */
public final class ServerThreadAllocation {

	private final Set<Thread> workers = ConcurrentHashMap.newKeySet();

	private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
		.getThreadMXBean();

	/** Called by the application on the thread that runs it. */
	public void ranOnWorker() {
		this.workers.add(Thread.currentThread());
	}

	/** Pauses leak detection until the window is closed. */
	public Window open(HybridWebServer server) {
		return new Window(server);
	}

	/** The event loops' threads and every worker that has run the application. */
	private long[] serverThreadIds(HybridWebServer server) throws Exception {
		List<Long> ids = new ArrayList<>();
		for (EventExecutor loop : server.getEventLoops()) {
			ids.add(loop.submit(() -> Thread.currentThread().getId()).get(10, TimeUnit.SECONDS));
		}
		for (Thread worker : this.workers) {
			ids.add(worker.getId());
		}
		return ids.stream().mapToLong(Long::longValue).toArray();
	}

	private long allocatedBytes(HybridWebServer server) throws Exception {
		long total = 0;
		for (long value : this.threads.getThreadAllocatedBytes(serverThreadIds(server))) {
			total += Math.max(0, value);
		}
		return total;
	}

	/** A measurement with leak detection paused. */
	public final class Window implements AutoCloseable {

		private final HybridWebServer server;

		private final ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();

		private long marked;

		private Window(HybridWebServer server) {
			this.server = server;
			ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
		}

		/** Starts counting from now. */
		public void mark() throws Exception {
			this.marked = allocatedBytes(this.server);
		}

		/**
		 * Bytes allocated on the server's threads since {@link #mark()}; a worker that first ran since then counts with
		 * all it ever allocated.
		 */
		public long sinceMark() throws Exception {
			return allocatedBytes(this.server) - this.marked;
		}

		@Override
		public void close() {
			ResourceLeakDetector.setLevel(this.level);
		}

	}

}
