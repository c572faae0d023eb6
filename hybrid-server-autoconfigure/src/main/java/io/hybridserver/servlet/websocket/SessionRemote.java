package io.hybridserver.servlet.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import jakarta.websocket.RemoteEndpoint;

import io.hybridserver.websocket.OutboundFrame;
import io.hybridserver.websocket.OutboundFrame.Kind;

/**
 * What both remote endpoints share: frames from messages (a partial message's later parts are continuation frames),
 * ping and pong, and batching, which this container does not do (each send is written at once), as the spec allows.
 */
abstract class SessionRemote implements RemoteEndpoint {

	/** Control frame payloads are at most 125 bytes (RFC 6455, 5.5). */
	private static final int MAX_CONTROL_PAYLOAD = 125;

	protected final HybridSession session;

	/** The kind of the partial message being sent: 0 none, 1 text, 2 binary. Guarded by {@code this}. */
	private int partialType;

	SessionRemote(HybridSession session) {
		this.session = session;
	}

	/** A whole or partial text message as its next frame. */
	protected final synchronized OutboundFrame textFrame(String text, boolean last) {
		return dataFrame(1, text.getBytes(StandardCharsets.UTF_8), last);
	}

	/** A whole or partial binary message as its next frame; the buffer is copied, as the caller may reuse it. */
	protected final synchronized OutboundFrame binaryFrame(ByteBuffer data, boolean last) {
		return dataFrame(2, copy(data), last);
	}

	private OutboundFrame dataFrame(int type, byte[] payload, boolean last) {
		int inProgress = this.partialType;
		if (inProgress != 0 && inProgress != type) {
			throw new IllegalStateException("A partial " + ((inProgress == 1) ? "text" : "binary")
					+ " message is being sent; finish it first");
		}
		this.partialType = last ? 0 : type;
		Kind kind = (inProgress != 0) ? Kind.CONTINUATION : (type == 1) ? Kind.TEXT : Kind.BINARY;
		return new OutboundFrame(kind, payload, last);
	}

	private static byte[] copy(ByteBuffer data) {
		byte[] bytes = new byte[data.remaining()];
		data.duplicate().get(bytes);
		return bytes;
	}

	@Override
	public void setBatchingAllowed(boolean allowed) {
	}

	@Override
	public boolean getBatchingAllowed() {
		return false;
	}

	@Override
	public void flushBatch() {
	}

	@Override
	public void sendPing(ByteBuffer applicationData) throws IOException {
		this.session.connection().sendAsync(new OutboundFrame(Kind.PING, control(applicationData), true));
	}

	@Override
	public void sendPong(ByteBuffer applicationData) throws IOException {
		this.session.connection().sendAsync(new OutboundFrame(Kind.PONG, control(applicationData), true));
	}

	private static byte[] control(ByteBuffer data) {
		if (data.remaining() > MAX_CONTROL_PAYLOAD) {
			throw new IllegalArgumentException("A ping or pong carries at most 125 bytes, not " + data.remaining());
		}
		return copy(data);
	}

}
