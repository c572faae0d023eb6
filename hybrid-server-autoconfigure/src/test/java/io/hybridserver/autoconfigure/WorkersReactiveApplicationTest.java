package io.hybridserver.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The reactive application with its handlers on the dispatch tier's workers (the default). */
@TestPropertySource(properties = "server.hybrid.reactive.dispatch=workers")
class WorkersReactiveApplicationTest extends ReactiveApplicationTest {

	@Override
	String handlerThreadPrefix() {
		return "hybrid-worker-";
	}

	@Test
	void aHandlerThatBlocksByMistakeDoesNotStallTheEventLoop() throws Exception {
		java.util.concurrent.CompletableFuture<String> blocked = java.util.concurrent.CompletableFuture
			.supplyAsync(() -> this.client.get().uri("/blocking?millis=2000").exchange().expectBody(String.class)
				.returnResult().getResponseBody());
		Thread.sleep(200);
		long start = System.nanoTime();
		this.client.get().uri("/hello").exchange().expectStatus().isOk();
		assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
		assertThat(blocked.get(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("blocked 2000 on hybrid-worker-");
	}

}
