package io.hybridserver.apps.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Multipart uploads through Spring MVC. Also started in its own small-heap JVM by the 1 GB upload test, hence
 * {@link #main}.
 */
@SpringBootApplication
public class UploadTestApplication {

	public static void main(String[] args) {
		SpringApplication.run(UploadTestApplication.class, args);
	}

	@RestController
	static class UploadController {

		/** Every part by name and size, plus a form field read as a request parameter. */
		@PostMapping("/upload")
		String upload(@RequestParam(required = false) String title, HttpServletRequest request)
				throws IOException, ServletException {
			List<String> parts = new ArrayList<>();
			for (Part part : request.getParts()) {
				parts.add(part.getName() + ((part.getSubmittedFileName() != null)
						? "(" + part.getSubmittedFileName() + ")" : "") + "=" + part.getSize());
			}
			return "title=" + title + " parts=" + parts;
		}

		/** Reads the uploaded file back, so the test can check every byte arrived in order. */
		@PostMapping("/upload/checksum")
		String checksum(@RequestParam("file") MultipartFile file) throws IOException {
			CRC32 crc = new CRC32();
			long size = 0;
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = file.getInputStream()) {
				int n;
				while ((n = in.read(buffer)) > 0) {
					crc.update(buffer, 0, n);
					size += n;
				}
			}
			Runtime runtime = Runtime.getRuntime();
			return "size=" + size + " crc=" + Long.toHexString(crc.getValue()) + " maxHeap=" + runtime.maxMemory();
		}

	}

}
