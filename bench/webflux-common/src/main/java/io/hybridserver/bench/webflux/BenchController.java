package io.hybridserver.bench.webflux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.hybridserver.bench.common.Greeting;
import io.hybridserver.bench.common.Payload;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The benchmark endpoints in WebFlux: the same paths, bodies and content types as the MVC application's.
 */
@RestController
class BenchController {

	@GetMapping("/json")
	Mono<Greeting> json() {
		return Mono.just(Greeting.INSTANCE);
	}

	@PostMapping("/echo")
	Mono<ResponseEntity<byte[]>> echo(@RequestBody(required = false) Mono<byte[]> body,
			@RequestHeader(name = "Content-Type", required = false) String contentType) {
		MediaType type = (contentType != null) ? MediaType.parseMediaType(contentType)
				: MediaType.APPLICATION_OCTET_STREAM;
		return body.defaultIfEmpty(new byte[0]).map((bytes) -> ResponseEntity.ok().contentType(type).body(bytes));
	}

	/** Scenario 13's response of {@code size} bytes ({@link Payload#bytes(int)}), written as a {@code byte[]} body. */
	@GetMapping("/bytes/{size}")
	Mono<ResponseEntity<byte[]>> bytes(@PathVariable("size") String size) {
		int length = Payload.parseSize(size);
		byte[] body = (length >= 0) ? Payload.bytes(length) : null;
		if (body == null) {
			return Mono.just(ResponseEntity.notFound().build());
		}
		return Mono.just(ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(body));
	}

	/**
	 * Scenario 14: counts the request body's bytes as they stream in, releasing each buffer, and answers the count.
	 * Decoding to {@code byte[]} would aggregate the body and stop at the codecs' in-memory limit (256 KiB).
	 */
	@PostMapping(path = "/upload", produces = MediaType.TEXT_PLAIN_VALUE)
	Mono<String> upload(@RequestBody(required = false) Flux<DataBuffer> body) {
		if (body == null) {
			return Mono.just(Payload.uploaded(0));
		}
		return body.reduce(0L, (count, buffer) -> {
			long total = count + buffer.readableByteCount();
			DataBufferUtils.release(buffer);
			return total;
		}).map(Payload::uploaded);
	}

}
