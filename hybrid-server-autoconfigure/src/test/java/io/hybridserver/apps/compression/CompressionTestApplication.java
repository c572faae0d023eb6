package io.hybridserver.apps.compression;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Responses of every size and type, to see which ones {@code server.compression.*} compresses. */
@SpringBootApplication
public class CompressionTestApplication {

	/** Opened by the test once it has read the first compressed event. */
	public static final CountDownLatch SECOND_EVENT = new CountDownLatch(1);

	@RestController
	static class CompressionController {

		@GetMapping(path = "/text", produces = MediaType.TEXT_PLAIN_VALUE)
		String text(@RequestParam int size) {
			return "a".repeat(size);
		}

		@GetMapping(path = "/binary", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
		byte[] binary(@RequestParam int size) {
			return new byte[size];
		}

		@GetMapping(path = "/already-encoded")
		ResponseEntity<byte[]> alreadyEncoded() {
			return ResponseEntity.ok().header("Content-Encoding", "br").contentType(MediaType.TEXT_PLAIN)
				.body(new byte[4096]);
		}

		@GetMapping("/events")
		SseEmitter events() {
			SseEmitter emitter = new SseEmitter(30_000L);
			Executors.newSingleThreadExecutor().execute(() -> {
				try {
					emitter.send(SseEmitter.event().data("first"));
					SECOND_EVENT.await(30, TimeUnit.SECONDS);
					emitter.send(SseEmitter.event().data("second"));
					emitter.complete();
				}
				catch (Exception ex) {
					emitter.completeWithError(ex);
				}
			});
			return emitter;
		}

	}

}
