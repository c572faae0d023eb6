package io.hybridserver.sample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.Part;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the servlet container offers beyond plain request/response: server-sent events, a deferred answer, a
 * multipart upload and a session, each the way an ordinary Spring MVC application writes it. Servlet mode only; the
 * reactive mode streams from {@link StreamController}.
 */
@RestController
@ConditionalOnWebApplication(type = Type.SERVLET)
class FeaturesController {

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	/** A few server-sent events, {@code interval} milliseconds apart; each reaches the client when it is sent. */
	@GetMapping("/events")
	SseEmitter events(@RequestParam(defaultValue = "3") int count, @RequestParam(defaultValue = "200") long interval) {
		SseEmitter emitter = new SseEmitter(60_000L);
		for (int i = 1; i <= count; i++) {
			int n = i;
			this.timer.schedule(() -> {
				try {
					emitter.send(SseEmitter.event().id(Integer.toString(n)).name("tick").data("event " + n));
					if (n == count) {
						emitter.complete();
					}
				}
				catch (IOException ex) {
					emitter.completeWithError(ex);
				}
			}, interval * i, TimeUnit.MILLISECONDS);
		}
		return emitter;
	}

	/** Answered later from another thread: the worker is free meanwhile. */
	@GetMapping("/deferred")
	DeferredResult<Map<String, String>> deferred(@RequestParam(defaultValue = "100") long delay) {
		DeferredResult<Map<String, String>> result = new DeferredResult<>(10_000L);
		this.timer.schedule(() -> result.setResult(Map.of("message", "deferred for " + delay + " ms")), delay,
				TimeUnit.MILLISECONDS);
		return result;
	}

	/** The parts of a multipart upload by name, with their file names and sizes. */
	@PostMapping("/upload")
	List<Map<String, Object>> upload(HttpServletRequest request) throws IOException, ServletException {
		List<Map<String, Object>> parts = new ArrayList<>();
		for (Part part : request.getParts()) {
			Map<String, Object> description = new LinkedHashMap<>();
			description.put("name", part.getName());
			description.put("filename", part.getSubmittedFileName());
			description.put("size", part.getSize());
			parts.add(description);
		}
		return parts;
	}

	/** A counter kept in the HTTP session. */
	@GetMapping("/visits")
	Map<String, Object> visits(HttpSession session) {
		Integer visits = (Integer) session.getAttribute("visits");
		visits = (visits != null) ? visits + 1 : 1;
		session.setAttribute("visits", visits);
		return Map.of("visits", visits);
	}

	@PreDestroy
	void stop() {
		this.timer.shutdownNow();
	}

}
