package io.hybridserver.apps.protocols;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The Spring MVC application of the HTTP/2 and HTTP/3 tests: what the servlet request says of its protocol, a
 * counted and checksummed upload, a streamed download of any size, trailers both ways, a streamed response whose
 * second part waits for the client to have seen the first, SSE, multipart, the request body's length as the servlet
 * API reports it, and a failing handler.
 */
@SpringBootApplication
public class ProtocolTestApplication {

	/** Released by a test once it has received the first part of {@code /stream}. */
	public static volatile CountDownLatch firstPartSeen = new CountDownLatch(1);

	/** The byte at {@code index} of every test body: a pattern a lost or repeated chunk would break. */
	public static byte patternByte(long index) {
		return (byte) (index * 31 + (index >>> 8));
	}

	@RestController
	static class Endpoints {

		@GetMapping("/protocol")
		String protocol(HttpServletRequest request) {
			return request.getProtocol() + " " + request.getScheme() + " " + request.getServerName();
		}

		@GetMapping("/secure")
		boolean secure(HttpServletRequest request) {
			return request.isSecure();
		}

		@GetMapping("/hello")
		Map<String, Object> hello(@RequestParam(defaultValue = "world") String name) {
			return Map.of("message", "Hello, " + name + "!");
		}

		/** Reads the body through the servlet stream: the byte count and CRC-32. */
		@PostMapping("/count")
		String count(HttpServletRequest request) throws IOException {
			CRC32 crc = new CRC32();
			long total = 0;
			byte[] buffer = new byte[8192];
			try (InputStream in = request.getInputStream()) {
				int n;
				while ((n = in.read(buffer)) != -1) {
					crc.update(buffer, 0, n);
					total += n;
				}
			}
			return total + " " + crc.getValue();
		}

		/**
		 * Trailers both ways: says whether the request's trailer fields were ready before and after reading the body
		 * and what they were, and ends its answer with an {@code x-checksum} trailer (the body's CRC-32), or says
		 * why it could not.
		 */
		@PostMapping("/trailers")
		String trailers(HttpServletRequest request, HttpServletResponse response) throws IOException {
			boolean readyBefore = request.isTrailerFieldsReady();
			CRC32 crc = new CRC32();
			try (InputStream in = request.getInputStream()) {
				crc.update(in.readAllBytes());
			}
			String answer = "ready-before=" + readyBefore + " trailers=" + request.getTrailerFields() + " ready-after="
					+ request.isTrailerFieldsReady();
			try {
				response.setTrailerFields(() -> Map.of("x-checksum", Long.toString(crc.getValue()), "Content-Length",
						"1"));
			}
			catch (IllegalStateException ex) {
				answer += " refused";
			}
			response.setContentType("text/plain");
			return answer;
		}

		/** {@code size} pattern bytes ({@link ProtocolTestApplication#patternByte}), streamed without a length. */
		@GetMapping("/download")
		void download(@RequestParam long size, HttpServletResponse response) throws IOException {
			response.setContentType("application/octet-stream");
			byte[] chunk = new byte[8192];
			try (OutputStream out = response.getOutputStream()) {
				for (long offset = 0; offset < size; offset += chunk.length) {
					int length = (int) Math.min(chunk.length, size - offset);
					for (int i = 0; i < length; i++) {
						chunk[i] = patternByte(offset + i);
					}
					out.write(chunk, 0, length);
				}
			}
		}

		/** The first part, flushed; the second only once the test has seen the first (or after 20 s). */
		@GetMapping("/stream")
		void stream(HttpServletResponse response) throws Exception {
			response.setContentType("text/plain");
			OutputStream out = response.getOutputStream();
			out.write("first;".getBytes(StandardCharsets.UTF_8));
			out.flush();
			boolean seen = firstPartSeen.await(20, TimeUnit.SECONDS);
			out.write(("second:" + seen).getBytes(StandardCharsets.UTF_8));
		}

		@GetMapping("/sse")
		SseEmitter sse() {
			SseEmitter emitter = new SseEmitter(10_000L);
			new Thread(() -> {
				try {
					for (int i = 1; i <= 3; i++) {
						emitter.send(SseEmitter.event().name("tick").data("n" + i));
					}
					emitter.complete();
				}
				catch (IOException ex) {
					emitter.completeWithError(ex);
				}
			}, "test-sse").start();
			return emitter;
		}

		@PostMapping("/upload")
		String upload(@RequestPart("file") MultipartFile file, @RequestParam String note) throws IOException {
			return file.getOriginalFilename() + " " + file.getBytes().length + " " + note;
		}

		/** What the servlet API says of the request body's length, and how many bytes the body had. */
		@RequestMapping(path = "/length", method = { RequestMethod.GET, RequestMethod.POST })
		String length(HttpServletRequest request) throws IOException {
			int read;
			try (InputStream in = request.getInputStream()) {
				read = in.readAllBytes().length;
			}
			return request.getContentLengthLong() + " " + request.getContentLength() + " " + read;
		}

		@GetMapping("/fail")
		String fail() {
			throw new IllegalStateException("the handler failed on purpose");
		}

	}

}
