package io.hybridserver.apps.http3reactive;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** A WebFlux application for the HTTP/3 tests: JSON, a counted upload, a streamed body, SSE, multipart, an error. */
@SpringBootApplication
public class Http3ReactiveTestApplication {

	@RestController
	static class Endpoints {

		@GetMapping("/hello")
		Map<String, Object> hello(ServerWebExchange exchange) {
			return Map.of("message", "hello", "scheme", exchange.getRequest().getURI().getScheme());
		}

		@PostMapping("/count")
		Mono<String> count(@RequestBody Flux<DataBuffer> body) {
			return body.map((buffer) -> {
				int n = buffer.readableByteCount();
				DataBufferUtils.release(buffer);
				return (long) n;
			}).reduce(0L, Long::sum).map((total) -> Long.toString(total));
		}

		@GetMapping(path = "/stream", produces = MediaType.TEXT_PLAIN_VALUE)
		Flux<String> stream() {
			return Flux.range(1, 5).delayElements(Duration.ofMillis(20)).map((i) -> "part" + i + ";");
		}

		@GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<ServerSentEvent<String>> sse() {
			return Flux.range(1, 3).map((i) -> ServerSentEvent.builder("n" + i).event("tick").build());
		}

		@PostMapping("/upload")
		Mono<String> upload(@RequestPart("file") FilePart file) {
			return DataBufferUtils.join(file.content()).map((joined) -> {
				int size = joined.readableByteCount();
				DataBufferUtils.release(joined);
				return file.filename() + " " + size;
			});
		}

		@GetMapping("/fail")
		Mono<String> fail() {
			return Mono.error(new IllegalStateException("the handler failed on purpose"));
		}

	}

}
