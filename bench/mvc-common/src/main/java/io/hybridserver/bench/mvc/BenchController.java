package io.hybridserver.bench.mvc;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
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

	/** The body of {@code GET /bytes}. */
	private static final Resource LARGE = new ByteArrayResource(new byte[16 * 1024 * 1024]);

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

	/**
	 * A large response (16 MiB), copied to the response stream by the worker as a download is: what slow readers in
	 * bench/slow-clients.sh ask for, so that the writing worker waits on them.
	 */
	@GetMapping("/bytes")
	ResponseEntity<Resource> bytes() {
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(LARGE);
	}

}
