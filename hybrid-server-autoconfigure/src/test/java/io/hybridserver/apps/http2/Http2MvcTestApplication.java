package io.hybridserver.apps.http2;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.zip.CRC32;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application for the HTTP/2 tests: what the servlet request says about its protocol, a streamed upload
 * that is counted and checksummed, and a streamed download of any size.
 */
@SpringBootApplication
public class Http2MvcTestApplication {

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

		/** {@code size} pattern bytes, streamed without a declared length. */
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

	}

}
