package io.hybridserver.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@link RequestIdFilter}'s counterpart in the reactive mode: every response carries an {@code X-Request-Id}, the
 * caller's own when it sent one.
 */
@Component
@ConditionalOnWebApplication(type = Type.REACTIVE)
class RequestIdWebFilter implements WebFilter {

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String id = RequestIdFilter.idFor(exchange.getRequest().getHeaders().getFirst(RequestIdFilter.HEADER));
		exchange.getResponse().getHeaders().set(RequestIdFilter.HEADER, id);
		return chain.filter(exchange);
	}

}
