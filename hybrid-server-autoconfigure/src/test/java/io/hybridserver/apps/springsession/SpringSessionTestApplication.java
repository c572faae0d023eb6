package io.hybridserver.apps.springsession;

import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpSession;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spring Session's filter replaces the container's sessions (an in-memory repository stands in for Redis/JDBC). */
@SpringBootApplication
@EnableSpringHttpSession
public class SpringSessionTestApplication {

	@Bean
	MapSessionRepository sessionRepository() {
		return new MapSessionRepository(new ConcurrentHashMap<>());
	}

	@RestController
	static class VisitsController {

		@GetMapping("/visits")
		String visits(HttpSession session) {
			Integer count = (Integer) session.getAttribute("count");
			count = (count != null) ? count + 1 : 1;
			session.setAttribute("count", count);
			return "visits=" + count + " " + session.getClass().getSimpleName();
		}

	}

}
