package io.hybridserver.apps.listenersreactive;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Says what WebFlux reports about where a request came from, for the listener tests. */
@SpringBootApplication
public class ReactiveListenersApplication {

	@RestController
	static class WhereController {

		@GetMapping(path = "/where", produces = "text/plain")
		String where(ServerHttpRequest request) {
			return "remote=" + request.getRemoteAddress().getAddress().getHostAddress() + ":"
					+ request.getRemoteAddress().getPort() + " local=" + request.getLocalAddress().getPort();
		}

	}

}
