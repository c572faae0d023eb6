package io.hybridserver.bench.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Hand-off throughput: one producer (the event loop) hands over a burst of {@value #BURST} tasks as fast as the queue
 * takes them, then waits until the workers have run them all. Reported per task.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandOffThroughputBenchmark {

	static final int BURST = 1000;

	@Param({ "hybrid", "abq", "lbq", "netty-epoll", "netty-default" })
	public String handOff;

	@Param("4")
	public int workers;

	private HandOff target;

	private final AtomicLong done = new AtomicLong();

	private final Runnable task = this.done::incrementAndGet;

	private long expected;

	@Setup(Level.Trial)
	public void start() {
		this.target = HandOff.create(this.handOff, this.workers, 1024);
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.target.close();
	}

	@Benchmark
	@OperationsPerInvocation(BURST)
	public void burst() {
		for (int i = 0; i < BURST; i++) {
			while (!this.target.offer(this.task)) {
				Thread.onSpinWait();
			}
		}
		this.expected += BURST;
		while (this.done.get() < this.expected) {
			Thread.onSpinWait();
		}
	}

}
