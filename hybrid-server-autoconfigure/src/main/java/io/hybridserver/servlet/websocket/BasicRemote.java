package io.hybridserver.servlet.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;

import jakarta.websocket.EncodeException;
import jakarta.websocket.RemoteEndpoint;

/**
 * The blocking remote endpoint: each send returns once its frame is written to the socket, waiting for room in the
 * send buffer first, and fails after the send timeout (the connection then closes).
 */
final class BasicRemote extends SessionRemote implements RemoteEndpoint.Basic {

	BasicRemote(HybridSession session) {
		super(session);
	}

	@Override
	public void sendText(String text) throws IOException {
		this.session.connection().send(textFrame(text, true));
	}

	@Override
	public void sendBinary(ByteBuffer data) throws IOException {
		this.session.connection().send(binaryFrame(data, true));
	}

	@Override
	public void sendText(String partialMessage, boolean isLast) throws IOException {
		this.session.connection().send(textFrame(partialMessage, isLast));
	}

	@Override
	public void sendBinary(ByteBuffer partialByte, boolean isLast) throws IOException {
		this.session.connection().send(binaryFrame(partialByte, isLast));
	}

	/** The message is sent whole when the stream is closed. */
	@Override
	public OutputStream getSendStream() {
		return new ByteArrayOutputStream() {

			private boolean closed;

			@Override
			public void close() throws IOException {
				if (!this.closed) {
					this.closed = true;
					sendBinary(ByteBuffer.wrap(toByteArray()));
				}
			}

		};
	}

	/** The message is sent whole when the writer is closed. */
	@Override
	public Writer getSendWriter() {
		return new StringWriter() {

			private boolean closed;

			@Override
			public void close() throws IOException {
				if (!this.closed) {
					this.closed = true;
					sendText(toString());
				}
			}

		};
	}

	@Override
	public void sendObject(Object data) throws IOException, EncodeException {
		EncoderSet.Encoded encoded = this.session.encoders().encode(data);
		if (encoded.text() != null) {
			sendText(encoded.text());
		}
		else {
			sendBinary(encoded.binary());
		}
	}

}
