package io.hybridserver.bench.webflux;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.hybridserver.bench.common.Greeting;
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

}
