package io.hybridserver.autoconfigure.testapp;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A small but ordinary Spring MVC application: JSON in and out, a failing endpoint, a servlet filter.
 */
@SpringBootApplication
public class MvcTestApplication {

	@Bean
	OncePerRequestFilter stampFilter() {
		return new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				response.setHeader("X-Stamped", "yes");
				chain.doFilter(request, response);
			}

		};
	}

	@RestController
	static class TestController {

		@GetMapping("/hello")
		Map<String, Object> hello(@RequestParam(defaultValue = "world") String name) {
			return Map.of("message", "Hello, " + name + "!");
		}

		@PostMapping("/echo")
		Map<String, Object> echo(@RequestBody Map<String, Object> body) {
			return body;
		}

		/** What the servlet request says about TLS: scheme, secure, protocol, suite and the client's certificate. */
		@GetMapping("/tls")
		String tls(HttpServletRequest request) {
			java.security.cert.X509Certificate[] chain = (java.security.cert.X509Certificate[]) request
				.getAttribute("jakarta.servlet.request.X509Certificate");
			return request.getScheme() + " " + request.isSecure() + " "
					+ request.getAttribute("jakarta.servlet.request.secure_protocol") + " "
					+ request.getAttribute("jakarta.servlet.request.key_size") + " "
					+ ((chain != null) ? chain[0].getSubjectX500Principal().getName() : "no-certificate");
		}

		@GetMapping("/boom")
		String boom() {
			throw new IllegalStateException("boom on purpose");
		}

		@GetMapping("/slow")
		String slow() throws InterruptedException {
			Thread.sleep(1_000);
			return "slow done";
		}

		@GetMapping("/thread")
		String thread() {
			Thread current = Thread.currentThread();
			boolean virtual;
			try {
				virtual = (boolean) Thread.class.getMethod("isVirtual").invoke(current);
			}
			catch (ReflectiveOperationException ex) {
				virtual = false;
			}
			return current.getName() + " virtual=" + virtual;
		}

	}

}
