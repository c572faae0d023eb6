package io.hybridserver.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Enqueue-to-pickup latency: the producer hands over one task and spins until a worker has started it. With
 * {@code idleMicros = 0} the next task follows at once, so a worker that spins before parking finds it hot; with
 * {@code idleMicros = 200} the producer waits first (outside the measured time), so every worker has parked and the
 * measurement includes waking one, as when requests trickle in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandOffLatencyBenchmark {

	@Param({ "hybrid", "abq", "lbq", "netty-epoll", "netty-default" })
	public String handOff;

	@Param({ "0", "200" })
	public int idleMicros;

	@Param("4")
	public int workers;

	private HandOff target;

	private volatile boolean started;

	private final Runnable task = () -> this.started = true;

	@Setup(Level.Trial)
	public void start() {
		this.target = HandOff.create(this.handOff, this.workers, 1024);
	}

	@Setup(Level.Invocation)
	public void idle() {
		this.started = false;
		if (this.idleMicros > 0) {
			long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(this.idleMicros);
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
		}
	}

	@TearDown(Level.Trial)
	public void stop() throws Exception {
		this.target.close();
	}

	@Benchmark
	public void handOff() {
		while (!this.target.offer(this.task)) {
			Thread.onSpinWait();
		}
		while (!this.started) {
			Thread.onSpinWait();
		}
	}

}
