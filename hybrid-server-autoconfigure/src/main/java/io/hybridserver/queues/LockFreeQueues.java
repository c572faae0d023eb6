package io.hybridserver.queues;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.QueueProgressIndicators;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The server's JCTools queues (the dispatch tier's request, response and continuation queues, the access log's line
 * queue), in the variant this JVM runs without a warning: the one rule for which variant, kept in one place.
 *
 * <p>JCTools' fastest queues reach their fields through {@code sun.misc.Unsafe}, whose memory-access methods are
 * deprecated for removal: from Java 24 the first call prints four {@code WARNING:} lines on stderr (JEP 498), and a
 * later release will refuse it. So from Java 24 the queues are JCTools' {@code atomic} variants, the same algorithms
 * over {@code AtomicReferenceArray} and field updaters, as Netty does for its own copy of JCTools; below 24 the
 * {@code Unsafe} ones, as before. The atomic ones are slower per operation (JMH on Java 25, a producer and a consumer:
 * about 30 instead of 15 ns per MPMC hand-off, on a loaded machine; docs/benchmarks.md), which a request, tens of
 * microseconds of work, does not notice.
 */
public final class LockFreeQueues {

	/** Whether this JVM warns about (and will one day refuse) {@code sun.misc.Unsafe}'s memory access. */
	public static final boolean ATOMIC = Runtime.version().feature() >= 24;

	private LockFreeQueues() {
	}

	/** A bounded queue for many producers and many consumers (the request queue). */
	public static <E> MessagePassingQueue<E> mpmc(int capacity) {
		return ATOMIC ? new MpmcAtomicArrayQueue<>(capacity) : new MpmcArrayQueue<>(capacity);
	}

	/** A bounded queue for many producers and one consumer (an event loop's response queue, the access log's lines). */
	public static <E> MessagePassingQueue<E> mpsc(int capacity) {
		return ATOMIC ? new MpscAtomicArrayQueue<>(capacity) : new MpscArrayQueue<>(capacity);
	}

	/**
	 * An unbounded queue for many producers and many consumers (continuations, which are never refused). JCTools has
	 * no atomic variant of its unbounded MPMC queue; the JDK's lock-free linked queue serves on Java 24 and later.
	 */
	public static <E> Queue<E> unboundedMpmc(int chunkSize) {
		return ATOMIC ? new ConcurrentLinkedQueue<>() : new MpmcUnboundedXaddArrayQueue<>(chunkSize);
	}

	/** How many elements were ever taken from a queue made here: moves whenever a consumer takes one. */
	public static long taken(MessagePassingQueue<?> queue) {
		return ((QueueProgressIndicators) queue).currentConsumerIndex();
	}

}
