package io.hybridserver.servlet.session;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session ids from several generators: the format Tomcat uses, no repeats when threads ask at once, and one request to
 * a generator per batch of ids rather than per id.
 */
class SessionIdsTest {

	@Test
	void idsAre128BitsInUpperCaseHexAndDoNotRepeatAcrossThreads() throws Exception {
		SessionIds ids = new SessionIds(4);
		Set<String> seen = ConcurrentHashMap.newKeySet();
		int threads = 8;
		int each = 2_000;
		CountDownLatch start = new CountDownLatch(1);
		Thread[] workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			workers[t] = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				for (int i = 0; i < each; i++) {
					seen.add(ids.next());
				}
			});
			workers[t].start();
		}
		start.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		assertThat(seen).hasSize(threads * each);
		assertThat(seen).allMatch((id) -> id.matches("[0-9A-F]{32}"));
	}

	/**
	 * A generator is asked once per {@link SessionIds#BATCH_BYTES} bytes, not once per id: a {@code Hash_DRBG} pays a
	 * state update per request, whatever the size (issue 22: the form post's new session). Counted on the generator.
	 */
	@Test
	void aGeneratorIsAskedOncePerBatchOfIds() {
		AtomicInteger requests = new AtomicInteger();
		AtomicInteger bytes = new AtomicInteger();
		SessionIds ids = new SessionIds(1, () -> new SecureRandom() {

			private static final long serialVersionUID = 1L;

			@Override
			public void nextBytes(byte[] into) {
				requests.incrementAndGet();
				bytes.addAndGet(into.length);
				super.nextBytes(into);
			}

		});
		int idsPerBatch = SessionIds.BATCH_BYTES / 16;
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 10 * idsPerBatch + 1; i++) {
			seen.add(ids.next());
		}
		assertThat(seen).hasSize(10 * idsPerBatch + 1).allMatch((id) -> id.matches("[0-9A-F]{32}"));
		// Ten full batches and a started eleventh; every drawn byte but the eleventh batch's rest went into an id.
		assertThat(requests).hasValue(11);
		assertThat(bytes).hasValue(11 * SessionIds.BATCH_BYTES);
	}

}
