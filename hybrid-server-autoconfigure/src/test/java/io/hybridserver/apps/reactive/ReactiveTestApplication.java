package io.hybridserver.apps.reactive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebFlux application for the reactive adapter's tests: JSON, errors, SSE, streaming, multipart, compression, and
 * endpoints that expose what backpressure and cancellation did on the server side.
 */
@SpringBootApplication
public class ReactiveTestApplication {

	/** What the server-side publishers saw; reset by the tests. */
	public static final class Probe {

		public static final AtomicLong emitted = new AtomicLong();

		public static final AtomicLong maxOutstanding = new AtomicLong();

		public static final AtomicLong consumed = new AtomicLong();

		public static volatile CountDownLatch cancelled = new CountDownLatch(1);

		/** Counted down when {@code /hold} holds its thread. */
		public static volatile CountDownLatch holding = new CountDownLatch(1);

		/** Lets {@code /hold} go on. */
		public static volatile CountDownLatch release = new CountDownLatch(1);

		public static void reset() {
			emitted.set(0);
			maxOutstanding.set(0);
			consumed.set(0);
			cancelled = new CountDownLatch(1);
			holding = new CountDownLatch(1);
			release = new CountDownLatch(1);
		}

	}

	private static Path testFile;

	/** One MiB of a repeating pattern, made once per JVM. */
	public static synchronized Path testFile() throws IOException {
		if (testFile == null) {
			byte[] content = new byte[1024 * 1024];
			for (int i = 0; i < content.length; i++) {
				content[i] = (byte) ('a' + (i % 26));
			}
			Path file = Files.createTempFile("hybrid-reactive", ".txt");
			file.toFile().deleteOnExit();
			Files.write(file, content);
			testFile = file;
		}
		return testFile;
	}

	@RestController
	static class Endpoints {

		@GetMapping("/hello")
		Mono<Map<String, Object>> hello(ServerHttpRequest request) {
			return Mono.just(Map.of("message", "hello", "thread", Thread.currentThread().getName(), "scheme",
					request.getURI().getScheme()));
		}

		@PostMapping(path = "/echo")
		Mono<ResponseEntity<byte[]>> echo(@RequestBody(required = false) Mono<byte[]> body,
				@RequestHeader(name = "Content-Type", defaultValue = "application/octet-stream") String type) {
			return body.defaultIfEmpty(new byte[0])
				.map((bytes) -> ResponseEntity.ok().contentType(MediaType.parseMediaType(type)).body(bytes));
		}

		@GetMapping("/boom")
		Mono<String> boom() {
			return Mono.error(new IllegalStateException("boom"));
		}

		@GetMapping("/text")
		Mono<String> text(@RequestParam int size) {
			return Mono.just("a".repeat(size));
		}

		@GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<ServerSentEvent<String>> sse() {
			// The first event goes at once, the next only much later: a client sees the first before the stream ends
			// only if each element is flushed.
			return Flux.concat(Flux.just(ServerSentEvent.builder("first").id("1").build()),
					Mono.delay(Duration.ofSeconds(30)).map((tick) -> ServerSentEvent.builder("late").build()));
		}

		@GetMapping(path = "/ndjson", produces = MediaType.APPLICATION_NDJSON_VALUE)
		Flux<Map<String, Integer>> ndjson() {
			return Flux.range(1, 3).map((i) -> Map.of("n", i));
		}

		@PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
		Mono<String> upload(ServerWebExchange exchange) {
			return exchange.getMultipartData().flatMap((MultiValueMap<String, Part> parts) -> Flux
				.fromIterable(parts.toSingleValueMap().entrySet())
				.concatMap((entry) -> DataBufferUtils.join(entry.getValue().content()).map((joined) -> {
					int size = joined.readableByteCount();
					DataBufferUtils.release(joined);
					return entry.getKey() + "=" + size;
				}))
				.sort()
				.collectList()
				.map((list) -> String.join(",", list)));
		}

		/** {@code count} buffers of {@code size} bytes, recording the most demand ever outstanding. */
		@GetMapping("/large")
		Flux<DataBuffer> large(@RequestParam int count, @RequestParam int size, ServerWebExchange exchange) {
			DataBufferFactory buffers = exchange.getResponse().bufferFactory();
			byte[] chunk = "x".repeat(size).getBytes(StandardCharsets.US_ASCII);
			AtomicLong requested = new AtomicLong();
			return Flux.range(0, count).doOnRequest((n) -> {
				long outstanding = requested.addAndGet(n) - Probe.emitted.get();
				Probe.maxOutstanding.accumulateAndGet(outstanding, Math::max);
			}).map((i) -> {
				Probe.emitted.incrementAndGet();
				return buffers.wrap(chunk);
			});
		}

		/** Consumes the body slowly: one buffer every 20 ms. */
		@PostMapping("/slow-upload")
		Mono<String> slowUpload(ServerHttpRequest request) {
			return request.getBody()
				// Each buffer is released as it arrives, and only the request for the next one waits: a buffer must
				// never sit in concatMap's queue. When the client leaves, the cancel comes from the connection's loop
				// while the delay's thread asks for the next buffer; Reactive Streams lets that buffer cross the cancel
				// (rule 2.8), and concatMap, whose cancel has already cleared its queue, offers it there and never
				// drains it again: a leak no discard hook reaches (CI saw it on JDK 25). Counting, not holding, keeps
				// the handler as slow a consumer as before: concatMap asks for one buffer per finished delay.
				.map((buffer) -> {
					int size = buffer.readableByteCount();
					DataBufferUtils.release(buffer);
					return size;
				})
				.concatMap((size) -> Mono.delay(Duration.ofMillis(20)).doOnNext((tick) -> Probe.consumed.addAndGet(size)),
						1)
				.then(Mono.fromCallable(() -> "consumed " + Probe.consumed.get()));
		}

		/** Never ends by itself: one tick every 100 ms until the client leaves. */
		@GetMapping(path = "/ticks", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<Long> ticks() {
			return Flux.interval(Duration.ZERO, Duration.ofMillis(100))
				.doOnCancel(() -> Probe.cancelled.countDown());
		}

		@GetMapping("/slow")
		Mono<String> slow(@RequestParam long millis) {
			return Mono.delay(Duration.ofMillis(millis)).map((tick) -> "slept " + millis);
		}

		/**
		 * Holds the thread it runs on (a worker, with the default dispatch) until the test releases it, so that what
		 * would continue on that worker waits: at most 30 s.
		 */
		@GetMapping("/hold")
		String hold() throws InterruptedException {
			Probe.holding.countDown();
			return Probe.release.await(30, TimeUnit.SECONDS) ? "released" : "timed out";
		}

		/** A file resource: written with sendfile on plaintext, read in buffers over TLS. */
		@GetMapping("/file")
		Resource file() throws IOException {
			return new FileSystemResource(testFile());
		}

		/** A handler that blocks by mistake; harmless in workers mode. */
		@GetMapping("/blocking")
		String blocking(@RequestParam long millis) throws InterruptedException {
			Thread.sleep(millis);
			return "blocked " + millis + " on " + Thread.currentThread().getName();
		}

	}

}
