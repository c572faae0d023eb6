package io.hybridserver.apps.fidelity;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application that meets the places where a user notices whether the server behaves as Tomcat does: its root
 * under a context path, request parameters, Boot's error pages.
 */
@SpringBootApplication
public class FidelityTestApplication {

	/**
	 * A model attribute every controller gets, Boot's error controller too, read from a parameter: on an error page
	 * for a request whose parameters are malformed it must not fail again.
	 */
	@ControllerAdvice
	static class PageAdvice {

		@ModelAttribute("page")
		int page(@RequestParam(defaultValue = "1") int page) {
			return page;
		}

	}

	@RestController
	static class FidelityController {

		@GetMapping("/")
		String root() {
			return "root";
		}

		/** As a search form in a sample application reads its query. */
		@GetMapping("/owners")
		String owners(@RequestParam(defaultValue = "") String lastName) {
			return "owners " + lastName;
		}

		@PostMapping("/form")
		String form(HttpServletRequest request) {
			StringBuilder names = new StringBuilder();
			request.getParameterMap().forEach((name, values) -> names.append('[').append(name).append(']'));
			return "form " + names;
		}

		@RequestMapping("/options")
		String options() {
			return "options";
		}

	}

}
