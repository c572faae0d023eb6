package io.hybridserver.bench.jmh;

import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JCTools' {@code sun.misc.Unsafe} queues against their {@code atomic} variants, which the dispatch tier uses from
 * Java 24 on (no Unsafe warning): an offer and a poll on one thread (the cost of a hand-off without contention), and a
 * producer and a consumer on two threads (the request queue's and a response queue's shape). Run on the JDK that
 * matters for the choice (24+), e.g. {@code java -jar bench/jmh/target/bench-jmh.jar QueueVariant -f 1 -wi 3 -i 5}.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueueVariantBenchmark {

	private static final Integer ELEMENT = 42;

	@Param({ "mpmc-unsafe", "mpmc-atomic", "mpsc-unsafe", "mpsc-atomic" })
	public String variant;

	private Queue<Integer> queue;

	@Setup(Level.Trial)
	public void setUp() {
		this.queue = switch (this.variant) {
			case "mpmc-unsafe" -> new MpmcArrayQueue<>(1024);
			case "mpmc-atomic" -> new MpmcAtomicArrayQueue<>(1024);
			case "mpsc-unsafe" -> new MpscArrayQueue<>(1024);
			case "mpsc-atomic" -> new MpscAtomicArrayQueue<>(1024);
			default -> throw new IllegalArgumentException(this.variant);
		};
	}

	@Benchmark
	@Group("alone")
	public Integer offerThenPoll() {
		this.queue.offer(ELEMENT);
		return this.queue.poll();
	}

	@Benchmark
	@Group("pair")
	@GroupThreads(1)
	public boolean produce() {
		return this.queue.offer(ELEMENT);
	}

	@Benchmark
	@Group("pair")
	@GroupThreads(1)
	public Integer consume() {
		return this.queue.poll();
	}

}
