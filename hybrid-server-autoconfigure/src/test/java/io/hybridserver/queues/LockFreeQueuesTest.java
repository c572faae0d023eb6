package io.hybridserver.queues;

import java.util.Queue;

import org.jctools.queues.MessagePassingQueue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue variants follow the JVM: JCTools' {@code sun.misc.Unsafe} queues below Java 24, its atomic ones (no
 * {@code Unsafe}, so no startup warning) from 24; both keep their bound and count what consumers took, which the stall
 * watchdog reads. The suite runs on Java 17 and 25, so each variant is tested on one of them.
 */
class LockFreeQueuesTest {

	@Test
	void theVariantFollowsTheJavaVersion() {
		boolean atomic = Runtime.version().feature() >= 24;
		assertThat(LockFreeQueues.ATOMIC).isEqualTo(atomic);
		String expectedPackage = atomic ? "org.jctools.queues.atomic" : "org.jctools.queues";
		assertThat(LockFreeQueues.mpmc(16).getClass().getPackageName()).isEqualTo(expectedPackage);
		assertThat(LockFreeQueues.mpsc(16).getClass().getPackageName()).isEqualTo(expectedPackage);
		assertThat(LockFreeQueues.unboundedMpmc(16).getClass().getPackageName())
			.isEqualTo(atomic ? "java.util.concurrent" : "org.jctools.queues");
	}

	@Test
	void boundedQueuesRefuseBeyondTheirCapacityAndCountWhatWasTaken() {
		for (MessagePassingQueue<Integer> queue : java.util.List.of(LockFreeQueues.<Integer>mpmc(4),
				LockFreeQueues.<Integer>mpsc(4))) {
			for (int i = 0; i < 4; i++) {
				assertThat(queue.offer(i)).isTrue();
			}
			assertThat(queue.offer(4)).isFalse();
			assertThat(LockFreeQueues.taken(queue)).isZero();
			assertThat(queue.poll()).isZero();
			assertThat(queue.peek()).isEqualTo(1);
			assertThat(LockFreeQueues.taken(queue)).isEqualTo(1);
			assertThat(queue.size()).isEqualTo(3);
		}
	}

	@Test
	void theUnboundedQueueTakesWhatever() {
		Queue<Integer> queue = LockFreeQueues.unboundedMpmc(2);
		for (int i = 0; i < 100; i++) {
			assertThat(queue.offer(i)).isTrue();
		}
		assertThat(queue.poll()).isZero();
		assertThat(queue).hasSize(99);
	}

}
