package io.hybridserver.servlet.resource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The lookup cache: time to live on an injected clock, missing answers cached too, bounded size. */
class ResourceCacheTest {

	private final AtomicLong now = new AtomicLong(1_000);

	private final AtomicInteger loads = new AtomicInteger();

	private final AtomicInteger hits = new AtomicInteger();

	private final ResourceCache<String> cache = new ResourceCache<>(Duration.ofSeconds(5), 100, this.now::get);

	private String get(String key, String answer) {
		return this.cache.get(key, (k) -> {
			this.loads.incrementAndGet();
			return answer;
		}, this.hits::incrementAndGet);
	}

	@Test
	void answersFromTheCacheUntilTheTimeToLivePasses() {
		assertThat(get("/a", "first")).isEqualTo("first");
		this.now.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
		assertThat(get("/a", "second")).isEqualTo("first");
		assertThat(this.loads).hasValue(1);
		assertThat(this.hits).hasValue(1);
		this.now.addAndGet(1);
		assertThat(get("/a", "second")).isEqualTo("second");
		assertThat(this.loads).hasValue(2);
	}

	@Test
	void missingAnswersAreCachedToo() {
		for (int i = 0; i < 50; i++) {
			assertThat(get("/missing", null)).isNull();
		}
		assertThat(this.loads).hasValue(1);
		assertThat(this.hits).hasValue(49);
	}

	@Test
	void staysWithinItsBoundUnderAFloodOfDistinctKeys() {
		for (int i = 0; i < 10_000; i++) {
			get("/flood/" + i, null);
			assertThat(this.cache.size()).isLessThanOrEqualTo(100);
		}
		assertThat(this.cache.size()).isGreaterThan(50);
		assertThat(this.loads).hasValue(10_000);
	}

	@Test
	void expiredEntriesGoFirstWhenTheBoundIsReached() {
		ResourceCache<String> small = new ResourceCache<>(Duration.ofSeconds(5), 4, this.now::get);
		small.get("/old1", (k) -> "x", () -> { });
		small.get("/old2", (k) -> "x", () -> { });
		this.now.addAndGet(Duration.ofSeconds(6).toNanos());
		for (String key : new String[] { "/new1", "/new2", "/new3" }) {
			small.get(key, (k) -> "y", () -> { });
		}
		AtomicInteger fresh = new AtomicInteger();
		for (String key : new String[] { "/new1", "/new2", "/new3" }) {
			small.get(key, (k) -> "z", fresh::incrementAndGet);
		}
		assertThat(fresh).hasValue(3);
		assertThat(small.size()).isEqualTo(3);
	}

	@Test
	void refusesANonPositiveTimeToLiveOrSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ResourceCache<>(Duration.ZERO, 1, System::nanoTime));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ResourceCache<>(Duration.ofSeconds(1), 0, System::nanoTime));
	}

}
