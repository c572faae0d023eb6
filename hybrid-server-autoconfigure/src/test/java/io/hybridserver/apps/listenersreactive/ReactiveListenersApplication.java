package io.hybridserver.apps.listenersreactive;

import java.net.InetSocketAddress;
import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import reactor.core.publisher.Mono;

/**
 * Says what WebFlux reports about where a request came from, for the listener tests: over HTTP ({@code /where}) and
 * as a WebSocket session's handshake info ({@code /ws/where}, one text message, then the handler waits for the
 * client's close).
 */
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

	@Bean
	HandlerMapping webSocketWhere() {
		WebSocketHandler where = (session) -> {
			InetSocketAddress remote = session.getHandshakeInfo().getRemoteAddress();
			String text = "remote=" + remote.getAddress().getHostAddress() + ":" + remote.getPort();
			return session.send(Mono.just(session.textMessage(text))).then(session.receive().then());
		};
		return new SimpleUrlHandlerMapping(Map.of("/ws/where", where), -1);
	}

}
