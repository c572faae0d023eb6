package io.hybridserver.servlet.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import io.hybridserver.websocket.OutboundFrame;

/**
 * The non-blocking remote endpoint: a send completes when its frame is written to the socket, fails at once when the
 * send buffer is full ({@code server.hybrid.websocket.send-buffer}), and fails after the session's send timeout, which
 * also closes the connection since half a frame cannot be taken back.
 */
final class AsyncRemote extends SessionRemote implements RemoteEndpoint.Async {

	private volatile long sendTimeout;

	AsyncRemote(HybridSession session) {
		super(session);
	}

	@Override
	public long getSendTimeout() {
		return this.sendTimeout;
	}

	@Override
	public void setSendTimeout(long timeoutmillis) {
		this.sendTimeout = timeoutmillis;
	}

	private CompletableFuture<Void> send(OutboundFrame frame) {
		return this.session.connection().sendAsync(frame, this.sendTimeout);
	}

	private void send(OutboundFrame frame, SendHandler handler) {
		send(frame).whenComplete((ignored, failure) -> handler.onResult(
				(failure != null) ? new SendResult(this.session, failure) : new SendResult(this.session)));
	}

	@Override
	public void sendText(String text, SendHandler handler) {
		send(textFrame(text, true), handler);
	}

	@Override
	public Future<Void> sendText(String text) {
		return send(textFrame(text, true));
	}

	@Override
	public Future<Void> sendBinary(ByteBuffer data) {
		return send(binaryFrame(data, true));
	}

	@Override
	public void sendBinary(ByteBuffer data, SendHandler handler) {
		send(binaryFrame(data, true), handler);
	}

	@Override
	public Future<Void> sendObject(Object data) {
		try {
			EncoderSet.Encoded encoded = this.session.encoders().encode(data);
			return (encoded.text() != null) ? sendText(encoded.text()) : sendBinary(encoded.binary());
		}
		catch (EncodeException | java.io.IOException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public void sendObject(Object data, SendHandler handler) {
		try {
			EncoderSet.Encoded encoded = this.session.encoders().encode(data);
			if (encoded.text() != null) {
				sendText(encoded.text(), handler);
			}
			else {
				sendBinary(encoded.binary(), handler);
			}
		}
		catch (EncodeException | java.io.IOException ex) {
			handler.onResult(new SendResult(this.session, ex));
		}
	}

}
