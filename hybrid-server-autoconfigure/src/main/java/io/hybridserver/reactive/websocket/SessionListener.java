package io.hybridserver.reactive.websocket;

import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;

import io.hybridserver.websocket.WebSocketConnection;
import io.hybridserver.websocket.WebSocketListener;

/**
 * What the loop side's connection tells one reactive session: it opens the {@link HybridWebSocketSession} and starts
 * the application's {@link WebSocketHandler} with it, joins fragments into whole messages (WebFlux's messages are
 * whole, as Reactor Netty aggregates them) up to the server's message size, past which the session closes with
 * 1009, and passes errors and the close on. Called one event at a time, in order, where the adapter runs handlers.
 */
final class SessionListener implements WebSocketListener {

	private static final int MESSAGE_TOO_BIG = 1009;

	private final WebSocketHandler handler;

	private final HandshakeInfo handshakeInfo;

	private final DataBufferFactory buffers;

	private final ReactiveWebSocketSessions sessions;

	private final List<byte[]> parts = new ArrayList<>();

	private long partsSize;

	/** Set once a message was too big: what is still in flight of it and after it is dropped. */
	private boolean discarding;

	private WebSocketConnection connection;

	private HybridWebSocketSession session;

	SessionListener(WebSocketHandler handler, HandshakeInfo handshakeInfo, DataBufferFactory buffers,
			ReactiveWebSocketSessions sessions) {
		this.handler = handler;
		this.handshakeInfo = handshakeInfo;
		this.buffers = buffers;
		this.sessions = sessions;
	}

	@Override
	public void onOpen(WebSocketConnection connection) {
		this.connection = connection;
		this.sessions.opened(connection);
		this.session = new HybridWebSocketSession(connection, this.handshakeInfo, this.buffers);
		this.session.start(this.handler);
	}

	@Override
	public void onText(byte[] payload, boolean last) {
		assemble(WebSocketMessage.Type.TEXT, payload, last);
	}

	@Override
	public void onBinary(byte[] payload, boolean last) {
		assemble(WebSocketMessage.Type.BINARY, payload, last);
	}

	private void assemble(WebSocketMessage.Type type, byte[] payload, boolean last) {
		if (this.discarding) {
			return;
		}
		long max = this.sessions.settings().maxMessageSize();
		this.partsSize += payload.length;
		if (this.partsSize > max) {
			this.discarding = true;
			this.parts.clear();
			this.connection.close(MESSAGE_TOO_BIG, "Message larger than " + max + " bytes");
			return;
		}
		if (this.parts.isEmpty() && last) {
			this.partsSize = 0;
			deliver(type, payload);
			return;
		}
		this.parts.add(payload);
		if (last) {
			byte[] whole = new byte[(int) this.partsSize];
			int offset = 0;
			for (byte[] part : this.parts) {
				System.arraycopy(part, 0, whole, offset, part.length);
				offset += part.length;
			}
			this.parts.clear();
			this.partsSize = 0;
			deliver(type, whole);
		}
	}

	private void deliver(WebSocketMessage.Type type, byte[] payload) {
		this.session.inbound().push(new WebSocketMessage(type, this.buffers.wrap(payload)));
	}

	@Override
	public void onPong(byte[] payload) {
		if (!this.discarding) {
			deliver(WebSocketMessage.Type.PONG, payload);
		}
	}

	@Override
	public void onError(Throwable cause) {
		if (this.session != null) {
			this.session.failed(cause);
		}
	}

	@Override
	public void onClose(int code, String reason) {
		this.parts.clear();
		if (this.connection != null) {
			this.sessions.closed(this.connection);
		}
		if (this.session != null) {
			this.session.closed(code, reason);
		}
	}

}
