package io.hybridserver.bench.mvc;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
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

	/** Scenario 13's response of {@code size} bytes ({@link Payload#bytes(int)}), written as a {@code byte[]} body. */
	@GetMapping("/bytes/{size}")
	ResponseEntity<byte[]> bytes(@PathVariable("size") String size) {
		int length = Payload.parseSize(size);
		byte[] body = (length >= 0) ? Payload.bytes(length) : null;
		if (body == null) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(body);
	}

	/**
	 * Scenario 14: reads the request body as a stream, as an upload handler would, keeps none of it, and answers how
	 * many bytes it read. A {@code byte[]} body would hold every request's body in the heap at once (16 connections of
	 * 16 MiB each), which measures the heap size rather than the server.
	 */
	@PostMapping(path = "/upload", produces = MediaType.TEXT_PLAIN_VALUE)
	String upload(InputStream body) throws IOException {
		byte[] buffer = new byte[8192];
		long received = 0;
		for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
			received += n;
		}
		return Payload.uploaded(received);
	}

	/**
	 * Whether requests run on virtual threads: the harness checks it for the {@code -vt} contenders before measuring,
	 * so that a contender whose server ignored {@code spring.threads.virtual.enabled} is never reported as one that
	 * used them. {@code Thread.isVirtual()} is looked up reflectively: this application compiles for Java 17.
	 */
	@GetMapping(path = "/thread", produces = MediaType.TEXT_PLAIN_VALUE)
	String thread() {
		try {
			Object virtual = Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
			return Boolean.TRUE.equals(virtual) ? "virtual" : "platform";
		}
		catch (ReflectiveOperationException ex) {
			return "platform";
		}
	}

}
