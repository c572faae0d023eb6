package io.hybridserver.apps.limits;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Endpoints that reach each of Tomcat's limits that users carry over as {@code server.hybrid.*}. */
@SpringBootApplication
public class LimitsTestApplication {

	@RestController
	static class LimitsController {

		/** How many parameters the form (and query) carried. */
		@PostMapping("/form")
		String form(HttpServletRequest request) {
			return "params=" + request.getParameterMap().size();
		}

		/** How many parts the multipart request carried. */
		@PostMapping("/upload")
		String upload(HttpServletRequest request) throws IOException, ServletException {
			return "parts=" + request.getParts().size();
		}

		/** A response whose header section is about {@code size} bytes. */
		@GetMapping("/header")
		String header(@RequestParam int size, HttpServletResponse response) {
			response.setHeader("X-Large", "x".repeat(size));
			return "body";
		}

	}

}
