package io.hybridserver.sample;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

/**
 * Streaming the WebFlux way, in the reactive mode only: server-sent events from a {@link Flux}, each written and
 * flushed when it is emitted. The events look like the servlet mode's {@code /events}.
 */
@RestController
@ConditionalOnWebApplication(type = Type.REACTIVE)
class StreamController {

	/** The most events one request may ask for: the stream is a demonstration, not a load generator. */
	private static final int MAX_COUNT = 1000;

	/** {@code count} events, {@code interval} milliseconds apart. */
	@GetMapping("/stream")
	Flux<ServerSentEvent<String>> stream(@RequestParam(defaultValue = "3") int count,
			@RequestParam(defaultValue = "200") long interval) {
		return Flux.interval(Duration.ofMillis(Math.max(1, interval)))
			.take(Math.max(0, Math.min(count, MAX_COUNT)))
			.map((tick) -> {
				long n = tick + 1;
				return ServerSentEvent.builder("event " + n).id(Long.toString(n)).event("tick").build();
			});
	}

}
