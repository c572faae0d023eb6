package io.hybridserver.reactive.websocket;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;

import io.hybridserver.websocket.OutboundFrame;
import io.hybridserver.websocket.WebSocketConnection;

/**
 * Writes what a handler gives {@code send()} to the connection, one message per frame, as fast as the client takes
 * them: the next message is requested while the bytes not yet taken by the socket stay under the send buffer
 * ({@code server.hybrid.websocket.send-buffer-size}), else once the last write has gone out. A publisher therefore
 * never has more than one message of outstanding demand, and a message never waits here beside a full buffer. A
 * client that takes nothing for the send timeout fails the send, and the connection closes (as on the servlet side).
 *
 * <p>Continuations after a write run on {@code executor}: where the session's events run
 * ({@link WebSocketConnection#dispatch}), handed to the workers as its events are, once per pass of the loop that
 * completed the writes, or inline on the event loop when handlers run there; never the application's code on a loop
 * that did not ask for it. They are not queued behind the session's events: a handler that blocks on its own send
 * (in an application that blocks where it should not) would otherwise wait for itself.
 */
final class OutboundMessages implements CoreSubscriber<WebSocketMessage> {

	private final WebSocketConnection connection;

	private final Executor executor;

	private final MonoSink<Void> completion;

	private volatile Subscription upstream;

	private volatile boolean done;

	/** The last write handed to the connection (writes complete in order), or the message waiting to be written. */
	private volatile CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

	OutboundMessages(WebSocketConnection connection, Executor executor, MonoSink<Void> completion) {
		this.connection = connection;
		this.executor = executor;
		this.completion = completion;
		completion.onCancel(this::cancel);
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		this.upstream = subscription;
		subscription.request(1);
	}

	@Override
	public void onNext(WebSocketMessage message) {
		if (this.done) {
			message.release();
			return;
		}
		OutboundFrame frame;
		try {
			frame = toFrame(message);
		}
		catch (RuntimeException ex) {
			fail(ex);
			return;
		}
		if (this.connection.hasSendRoom(frame.payload().length)) {
			write(frame);
			return;
		}
		// The socket is behind: this message waits for the last write, not beside it in the send buffer. Its own
		// future stands in as the last write meanwhile, so that a completion arriving now waits for it too.
		CompletableFuture<Void> previous = this.lastWrite;
		CompletableFuture<Void> queued = new CompletableFuture<>();
		this.lastWrite = queued;
		previous.whenComplete((ignored, failure) -> this.executor.execute(() -> {
			if (failure != null) {
				queued.completeExceptionally(failure);
				fail(failure);
				return;
			}
			write(frame).whenComplete((done, writeFailure) -> {
				if (writeFailure != null) {
					queued.completeExceptionally(writeFailure);
				}
				else {
					queued.complete(null);
				}
			});
		}));
	}

	private CompletableFuture<Void> write(OutboundFrame frame) {
		if (this.done) {
			return this.lastWrite;
		}
		CompletableFuture<Void> written = this.connection.sendAsync(frame);
		this.lastWrite = written;
		written.whenComplete((ignored, failure) -> {
			if (failure != null) {
				this.executor.execute(() -> fail(failure));
			}
		});
		if (written.isCompletedExceptionally()) {
			return written;
		}
		if (this.connection.hasSendRoom(1)) {
			this.upstream.request(1);
		}
		else {
			written.whenComplete((ignored, failure) -> {
				if (failure == null) {
					this.executor.execute(this::requestNext);
				}
			});
		}
		return written;
	}

	private void requestNext() {
		if (!this.done) {
			this.upstream.request(1);
		}
	}

	@Override
	public void onError(Throwable failure) {
		fail(failure);
	}

	@Override
	public void onComplete() {
		// Complete once the last message is written, on the session's executor.
		this.lastWrite.whenComplete((ignored, failure) -> this.executor.execute(() -> {
			if (failure != null) {
				fail(failure);
			}
			else if (!this.done) {
				this.done = true;
				this.completion.success();
			}
		}));
	}

	private void fail(Throwable failure) {
		if (this.done) {
			return;
		}
		this.done = true;
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.cancel();
		}
		this.completion.error(failure);
	}

	private void cancel() {
		this.done = true;
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.cancel();
		}
	}

	private static OutboundFrame toFrame(WebSocketMessage message) {
		OutboundFrame.Kind kind = switch (message.getType()) {
			case TEXT -> OutboundFrame.Kind.TEXT;
			case BINARY -> OutboundFrame.Kind.BINARY;
			case PING -> OutboundFrame.Kind.PING;
			case PONG -> OutboundFrame.Kind.PONG;
		};
		DataBuffer payload = message.getPayload();
		try {
			byte[] bytes = new byte[payload.readableByteCount()];
			payload.read(bytes);
			return new OutboundFrame(kind, bytes, true);
		}
		finally {
			message.release();
		}
	}

}
