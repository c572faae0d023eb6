package io.hybridserver.sample;

import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample's endpoints: a JSON greeting, an echo of whatever is posted, and a failure that Boot's error handling
 * answers. Only annotations and types that Spring MVC and WebFlux both resolve, so the same controller serves both
 * modes with the same status, content type and body.
 */
@RestController
class SampleController {

	@GetMapping("/hello")
	Map<String, String> hello(@RequestParam(defaultValue = "world") String name) {
		return Map.of("message", "Hello, " + name + "!");
	}

	@PostMapping("/echo")
	ResponseEntity<byte[]> echo(@RequestBody(required = false) byte[] body,
			@RequestHeader(name = "Content-Type", required = false) String contentType) {
		MediaType type = (contentType != null) ? MediaType.parseMediaType(contentType)
				: MediaType.APPLICATION_OCTET_STREAM;
		return ResponseEntity.ok().contentType(type).body((body != null) ? body : new byte[0]);
	}

	@GetMapping("/boom")
	String boom() {
		throw new IllegalStateException("Boom: this endpoint fails on purpose");
	}

}
