package io.hybridserver.apps.security;

import java.security.Principal;

import jakarta.servlet.http.HttpSession;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An ordinary secured application: form login, CSRF, remember-me and logout, all Spring Security defaults. */
@SpringBootApplication
public class SecurityTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, UserDetailsService users) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/public", "/error", "/actuator/health")
			.permitAll()
			.anyRequest()
			.authenticated())
			.formLogin(Customizer.withDefaults())
			.rememberMe((rememberMe) -> rememberMe.key("hybrid-test-key").userDetailsService(users))
			.logout(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("user").password("{noop}secret").roles("USER").build());
	}

	/** A Thymeleaf page with a form: Spring Security's CSRF token goes in through th:action. */
	@Controller
	static class NotesController {

		@GetMapping("/note")
		String page(Principal principal, HttpSession session, Model model) {
			model.addAttribute("user", principal.getName());
			model.addAttribute("note", session.getAttribute("note"));
			return "note";
		}

		@PostMapping("/note")
		String save(@RequestParam String text, HttpSession session) {
			session.setAttribute("note", text);
			return "redirect:/note";
		}

	}

	@RestController
	static class SecuredController {

		@GetMapping("/me")
		String me(Principal principal) {
			return "hello " + principal.getName();
		}

		@GetMapping("/public")
		String open() {
			return "public";
		}

	}

}
