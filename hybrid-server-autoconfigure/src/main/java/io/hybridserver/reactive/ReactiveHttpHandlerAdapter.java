package io.hybridserver.reactive;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBufAllocator;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHeadResponseDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;

import io.hybridserver.dispatch.ExchangeHandler;
import io.hybridserver.http.ByteBufExchange;
import io.hybridserver.http.Exchange;
import io.hybridserver.http.PlainTextAnswer;
import io.hybridserver.reactive.websocket.ReactiveWebSocketSessions;

/**
 * Serves a WebFlux {@link HttpHandler} from exchanges: the reactive application tier of the hybrid server.
 *
 * <p>{@link #handle} only assembles the request and response and subscribes to the handler; it returns as soon as the
 * handler's work is asynchronous. It runs wherever the dispatcher runs exchanges: on a worker (dispatch mode
 * {@code workers}, the default, so that a handler blocking by mistake holds a worker, not an event loop) or on the
 * event loop ({@code event-loop}). Whatever later continues the exchange from an I/O event (request body data, the
 * client catching up, the client leaving) runs on {@code continuations}: the workers, or the loop itself.
 */
public final class ReactiveHttpHandlerAdapter implements ExchangeHandler {

	private static final byte[] BAD_TARGET = "The request target is not a valid URI\n"
		.getBytes(StandardCharsets.US_ASCII);

	private final HttpHandler httpHandler;

	private final Executor continuations;

	private final Duration bodyReadTimeout;

	private volatile NettyDataBufferFactory bufferFactory;

	private volatile ReactiveWebSocketSessions webSockets;

	/**
	 * @param httpHandler the application
	 * @param continuations where work continues after an I/O event: the dispatcher's workers, or
	 *     {@code Runnable::run} when handlers run on the event loop
	 * @param bodyReadTimeout how long a handler waiting for request body bytes waits before the request fails with
	 *     408 (the server's connection timeout)
	 */
	public ReactiveHttpHandlerAdapter(HttpHandler httpHandler, Executor continuations, Duration bodyReadTimeout) {
		this.httpHandler = httpHandler;
		this.continuations = continuations;
		this.bodyReadTimeout = bodyReadTimeout;
	}

	/**
	 * Lets WebSocket handshakes switch protocols, with these sessions (limits, meters, where handlers run); without
	 * it, the response cannot switch and an upgrade strategy answers 400.
	 */
	public void setWebSockets(ReactiveWebSocketSessions webSockets) {
		this.webSockets = webSockets;
	}

	@Override
	public void handle(Exchange exchange) throws Exception {
		if (!(exchange instanceof ByteBufExchange buffers)) {
			throw new IllegalArgumentException("The reactive adapter needs a ByteBufExchange, got " + exchange);
		}
		URI uri;
		try {
			uri = HybridServerHttpRequest.uriOf(buffers);
		}
		catch (URISyntaxException ex) {
			answerBadTarget(exchange);
			return;
		}
		NettyDataBufferFactory factory = bufferFactory(buffers.alloc());
		HandlerResultSubscriber result = new HandlerResultSubscriber(exchange);
		HybridServerHttpRequest request = new HybridServerHttpRequest(buffers, uri, Flux.from(
				new RequestBodyPublisher(buffers, factory, this.continuations, this.bodyReadTimeout, result::cancel)));
		ServerHttpResponse response = new HybridServerHttpResponse(buffers, factory, this.continuations,
				this.webSockets);
		if (request.getMethod() == HttpMethod.HEAD) {
			// Spring's own rule for HEAD: the body is drained, its length becomes the Content-Length.
			response = new HttpHeadResponseDecorator(response);
		}
		exchange.onConnectionLost(() -> this.continuations.execute(result::cancel));
		this.httpHandler.handle(request, response).subscribe(result);
	}

	private NettyDataBufferFactory bufferFactory(ByteBufAllocator allocator) {
		NettyDataBufferFactory factory = this.bufferFactory;
		if (factory == null || factory.getByteBufAllocator() != allocator) {
			// One allocator serves every connection in practice; the factory is made once.
			factory = new NettyDataBufferFactory(allocator);
			this.bufferFactory = factory;
		}
		return factory;
	}

	private static void answerBadTarget(Exchange exchange) {
		exchange.responseHeaders().set("Connection", "close");
		PlainTextAnswer.answerOrAbort(exchange, 400, BAD_TARGET, null);
	}

}
