package io.hybridserver.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.EventExecutor;

import io.hybridserver.http.PassWakeUp;

/**
 * The threads of one server's WebSocket sessions and the two hand-offs between them, each made to cost as few
 * wake-ups as the work allows (on a small machine every wake-up is a context switch, and the switches, not the
 * frames, were most of a message's cost: docs/benchmarks.md, scenario 10).
 *
 * <ul>
 * <li><b>Loop to workers.</b> A session's events run one at a time on workers ({@link SerialExecutor}); a session is
 * handed over when its first frame after a quiet spell arrives, and the frames that arrive while it waits or runs join
 * the same run. On an I/O event loop the hand-offs of one pass (every ready connection read) are queued, and workers
 * are woken once, after the pass, as {@code http.LoopDispatch} does for exchanges: a worker woken for the first
 * session would otherwise take the CPU from the loop, handle one message, and park again.</li>
 * <li><b>Workers to loop.</b> Frames sent from workers wait in their connection's queue ({@link OutboundFrames}); a
 * connection with frames joins its loop's {@link OutboundLane}, whose one loop task writes each connection's frames
 * and flushes it once. The loop is woken only when its lane goes from idle to busy.</li>
 * </ul>
 */
public final class WebSocketWorkers {

	private final WorkerHandOff handOff;

	/** Whether hand-offs on an I/O loop wait for the end of its pass (not for an executor that runs each at once). */
	private final boolean passBatching;

	private final Map<EventExecutor, LoopPass> passes = new ConcurrentHashMap<>();

	private final Map<EventExecutor, OutboundLane> lanes = new ConcurrentHashMap<>();

	/** @param handOff where session events run: the server's workers */
	public WebSocketWorkers(WorkerHandOff handOff) {
		this(handOff, true);
	}

	private WebSocketWorkers(WorkerHandOff handOff, boolean passBatching) {
		this.handOff = handOff;
		this.passBatching = passBatching;
	}

	/** Workers that execute each session run on {@code executor} as it is handed over. */
	public static WebSocketWorkers of(Executor executor) {
		return new WebSocketWorkers(WorkerHandOff.of(executor), false);
	}

	/**
	 * A pool for session events where the server's workers are not at hand: threads {@code hybrid-websocket-N}, made
	 * on demand, leaving after a minute idle (so the pool needs no stopping).
	 */
	public static ExecutorService newOwnPool() {
		AtomicInteger count = new AtomicInteger();
		ThreadFactory threads = (task) -> {
			Thread thread = new Thread(task, "hybrid-websocket-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
	}

	/**
	 * Hands a session's run to the workers: queued until the end of the loop's pass when called on an I/O event loop,
	 * else queued and woken for at once.
	 */
	void submit(Runnable drain, EventExecutor loop) {
		if (this.passBatching && loop instanceof SingleThreadIoEventLoop ioLoop && ioLoop.inEventLoop()) {
			this.passes.computeIfAbsent(ioLoop, (key) -> new LoopPass(this.handOff, ioLoop)).enqueue(drain);
		}
		else {
			this.handOff.enqueue(drain);
			this.handOff.wakeFor(1);
		}
	}

	/** The lane of the loop {@code loop}, made on first use. */
	OutboundLane laneFor(EventExecutor loop) {
		return this.lanes.computeIfAbsent(loop, OutboundLane::new);
	}

	/**
	 * The hand-offs of one event loop's pass: each queued at once, the workers woken once as one of the loop's
	 * after-iteration tasks, which Netty's I/O loops run after each pass, before they can wait again.
	 */
	private static final class LoopPass {

		private final WorkerHandOff handOff;

		private final PassWakeUp wakeUp;

		LoopPass(WorkerHandOff handOff, SingleThreadIoEventLoop loop) {
			this.handOff = handOff;
			this.wakeUp = new PassWakeUp(loop, handOff::wakeFor);
		}

		void enqueue(Runnable drain) {
			this.handOff.enqueue(drain);
			this.wakeUp.handedOver();
		}

	}

}
