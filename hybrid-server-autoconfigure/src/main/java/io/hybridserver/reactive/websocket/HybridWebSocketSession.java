package io.hybridserver.reactive.websocket;

import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.hybridserver.websocket.WebSocketConnection;

/**
 * A WebFlux {@code WebSocketSession} over the hybrid server's WebSocket connection. {@link #receive()} reads by
 * demand ({@link InboundMessages}); {@link #send} writes as fast as the client takes the bytes
 * ({@link OutboundMessages}); close codes go both ways: {@link #close(CloseStatus)} sends the application's,
 * {@link #closeStatus()} tells the client's (1005 without a code, 1006 when the connection ended without a close).
 * When the handler's {@code Mono} completes the session closes with 1000, when it fails with 1011, as on Reactor Netty.
 */
final class HybridWebSocketSession extends AbstractWebSocketSession<WebSocketConnection> {

	private static final AtomicLong ids = new AtomicLong();

	private final InboundMessages inbound;

	private final Sinks.One<CloseStatus> closeStatus = Sinks.one();

	HybridWebSocketSession(WebSocketConnection connection, HandshakeInfo info, DataBufferFactory buffers) {
		super(connection, Long.toHexString(ids.incrementAndGet()), info, buffers);
		this.inbound = new InboundMessages(connection);
	}

	/** Runs the application's handler with this session; its end closes the session. */
	void start(WebSocketHandler handler) {
		Mono<Void> handling;
		try {
			handling = handler.handle(this);
		}
		catch (RuntimeException ex) {
			handling = Mono.error(ex);
		}
		handling.subscribe(new HandlerEnd());
	}

	InboundMessages inbound() {
		return this.inbound;
	}

	@Override
	public Flux<WebSocketMessage> receive() {
		return Flux.from(this.inbound);
	}

	@Override
	public Mono<Void> send(Publisher<WebSocketMessage> messages) {
		WebSocketConnection connection = getDelegate();
		return Mono.create((sink) -> messages.subscribe(new OutboundMessages(connection, connection::dispatch, sink)));
	}

	@Override
	public boolean isOpen() {
		return getDelegate().isOpen();
	}

	@Override
	public Mono<Void> close(CloseStatus status) {
		return Mono.fromRunnable(() -> getDelegate().close(status.getCode(), status.getReason()));
	}

	@Override
	public Mono<CloseStatus> closeStatus() {
		return this.closeStatus.asMono();
	}

	/** The connection reported a protocol error or failure; its close follows. */
	void failed(Throwable cause) {
		this.inbound.error(cause);
	}

	/** The connection has closed with {@code code}: no more messages, and the close status is known. */
	void closed(int code, String reason) {
		this.inbound.complete();
		this.closeStatus.tryEmitValue(new CloseStatus(code, reason));
	}

	/** Follows the handler's {@code Mono<Void>}: its end closes the session. */
	private final class HandlerEnd implements CoreSubscriber<Void> {

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Void unused) {
		}

		@Override
		public void onError(Throwable failure) {
			// Closed with 1011, which tells the client; a client that left makes sends fail too, so no error log.
			if (HybridWebSocketSession.this.logger.isDebugEnabled()) {
				HybridWebSocketSession.this.logger.debug(getLogPrefix() + "WebSocket handler failed", failure);
			}
			getDelegate().close(CloseStatus.SERVER_ERROR.getCode(), "Server error");
		}

		@Override
		public void onComplete() {
			getDelegate().close(CloseStatus.NORMAL.getCode(), "");
		}

	}

}
