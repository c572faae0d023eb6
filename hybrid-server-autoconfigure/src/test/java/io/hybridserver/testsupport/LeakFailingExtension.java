package io.hybridserver.testsupport;

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
 */
public final class LeakFailingExtension implements AfterAllCallback {

	private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

	static {
		ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		for (int round = 0; round < 3; round++) {
			System.gc();
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
			throw new AssertionError("Netty reported buffer leaks during " + context.getDisplayName() + ":\n" + report);
		}
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
