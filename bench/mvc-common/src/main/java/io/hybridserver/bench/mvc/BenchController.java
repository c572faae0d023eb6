package io.hybridserver.bench.mvc;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.hybridserver.bench.common.Greeting;

/**
 * The benchmark endpoints, written as an application would write them: the JSON is serialized by Spring's message
 * converter on every request, and the echo reads the whole body before answering it.
 */
@RestController
class BenchController {

	@GetMapping("/json")
	Greeting json() {
		return Greeting.INSTANCE;
	}

	@PostMapping("/echo")
	ResponseEntity<byte[]> echo(@RequestBody(required = false) byte[] body,
			@RequestHeader(name = "Content-Type", required = false) String contentType) {
		MediaType type = (contentType != null) ? MediaType.parseMediaType(contentType)
				: MediaType.APPLICATION_OCTET_STREAM;
		return ResponseEntity.ok().contentType(type).body((body != null) ? body : new byte[0]);
	}

}
