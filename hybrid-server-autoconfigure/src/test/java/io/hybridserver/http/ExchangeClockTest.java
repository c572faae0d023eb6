package io.hybridserver.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import io.hybridserver.http.h1.Http1PipelineInitializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exchanges read the clocks for the completion listener's times only when one is installed: with the access log off,
 * no request pays for a {@code currentTimeMillis} and {@code nanoTime}s nobody reads.
 */
class ExchangeClockTest {

	private final List<Exchange> dispatched = new ArrayList<>();

	private Exchange dispatch(HttpServerStats stats) {
		EmbeddedChannel channel = new EmbeddedChannel(new Http1PipelineInitializer(new HttpServerConfig(), stats,
				this.dispatched::add, (loop) -> (task) -> {
				}, null));
		try {
			channel.writeInbound(Unpooled.wrappedBuffer("GET /clock HTTP/1.1\r\nHost: x\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII)));
			assertThat(this.dispatched).hasSize(1);
			return this.dispatched.remove(0);
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void withoutAListenerTheClocksAreNotRead() {
		HttpServerStats stats = new HttpServerStats();
		assertThat(stats.timesExchanges()).isFalse();
		assertThat(((CompletedExchange) dispatch(stats)).startMillis()).isZero();
	}

	@Test
	void withAListenerTheStartIsTaken() {
		HttpServerStats stats = new HttpServerStats();
		stats.setCompletionListener((exchange) -> {
		});
		assertThat(stats.timesExchanges()).isTrue();
		long before = System.currentTimeMillis();
		long start = ((CompletedExchange) dispatch(stats)).startMillis();
		assertThat(start).isBetween(before, System.currentTimeMillis());
		stats.setCompletionListener(null);
		assertThat(stats.timesExchanges()).isFalse();
	}

}
