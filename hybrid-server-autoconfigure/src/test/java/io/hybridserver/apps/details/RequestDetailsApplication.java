package io.hybridserver.apps.details;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Answers what the request looks like to the application: scheme, host, port, client address, URL. */
@SpringBootApplication
public class RequestDetailsApplication {

	@RestController
	static class DetailsController {

		@GetMapping(path = "/details", produces = "text/plain")
		String details(HttpServletRequest request) {
			return request.getScheme() + " " + request.getServerName() + " " + request.getServerPort() + " "
					+ request.getRemoteAddr() + " " + request.isSecure() + " " + request.getRequestURL();
		}

		/** Writes through the servlet writer without choosing a charset: the configured encoding decides. */
		@GetMapping(path = "/text")
		void text(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
			response.setContentType("text/plain");
			response.getWriter().print("Grüße");
		}

	}

}
