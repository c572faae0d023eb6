package io.hybridserver.servlet.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Session ids from several generators: the format Tomcat uses, and no repeats when threads ask at once. */
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

}
