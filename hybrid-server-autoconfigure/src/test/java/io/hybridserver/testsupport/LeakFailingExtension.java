package io.hybridserver.testsupport;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Netty buffer leak fail the build. Registered for every test class through JUnit's extension auto-detection,
 * so it is installed before the first buffer class initialises; the surefire configuration runs the detector at
 * {@code paranoid}, tracking every buffer. After each test class it collects garbage, nudges the detector (it reports
 * when new buffers are tracked) and fails the class if any leak was reported.
 *
 * <p>One full collection per class: it clears every buffer that is unreachable by then, and the detector hears of
 * each once the JVM's reference handler has queued it, which the check waits for. (It collected three times: full
 * stops of 0.5 to 6 s each on the loaded shared machine as the cached Spring contexts grow the heap, a third of a suite
 * run's time there.) A buffer that a class leaves to another thread and that becomes unreachable only after the check
 * is reported by the next class's check, which says so.
 */
public final class LeakFailingExtension implements AfterAllCallback {

	private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

	static {
		ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		collectGarbage();
		// The detector reads its queue when it tracks a new buffer; twice, for a reference queued a moment late.
		for (int poll = 0; poll < 2; poll++) {
			Thread.sleep(50);
			for (int i = 0; i < 64; i++) {
				ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(8);
				pooled.release();
				ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.heapBuffer(8);
				unpooled.release();
			}
		}
		if (!LEAKS.isEmpty()) {
			String report = String.join("\n\n", LEAKS);
			LEAKS.clear();
			throw new AssertionError("Netty reported buffer leaks during " + context.getDisplayName()
					+ " (or a class before it, if a buffer became unreachable after that class's check):\n" + report);
		}
	}

	/**
	 * A full collection, and then the reference handler's turn: a sentinel that became unreachable before it is
	 * queued with the buffers cleared by the same collection.
	 */
	private static void collectGarbage() throws InterruptedException {
		ReferenceQueue<Object> queue = new ReferenceQueue<>();
		PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), queue);
		System.gc();
		// Bounded: with -XX:+DisableExplicitGC nothing is collected here, and the check goes on as before.
		queue.remove(5_000);
		sentinel.clear();
	}

	private static final class RecordingFactory extends ResourceLeakDetectorFactory {

		@Override
		public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
				long maxActive) {
			return new ResourceLeakDetector<T>(resource, samplingInterval) {

				@Override
				protected void reportTracedLeak(String resourceType, String records) {
					LEAKS.add("LEAK " + resourceType + records);
					super.reportTracedLeak(resourceType, records);
				}

				@Override
				protected void reportUntracedLeak(String resourceType) {
					LEAKS.add("LEAK " + resourceType + " (no records)");
					super.reportUntracedLeak(resourceType);
				}

			};
		}

	}

}
