package io.hybridserver.websocket;

/**
 * What a {@link WebSocketConnection} tells the application layer. Every method runs on a worker thread, never on an
 * event loop, one at a time per connection and in the order the events happened, so an implementation needs no
 * locking of its own for them and may block (a slow listener stops the connection from reading, which is the
 * backpressure towards the client).
 */
public interface WebSocketListener {

	/** The connection is open; nothing else is delivered before this returns. */
	void onOpen(WebSocketConnection connection);

	/**
	 * A text frame's payload (a whole message when {@code last} and it is the first of its message), in UTF-8,
	 * already validated across frames: a code point may be split between two frames, never malformed.
	 */
	void onText(byte[] payload, boolean last);

	/** A binary frame's payload. */
	void onBinary(byte[] payload, boolean last);

	/** A pong arrived (an answer to our ping, or unsolicited). Pings are answered by the connection itself. */
	void onPong(byte[] payload);

	/** Something went wrong: a protocol error of the client (already answered with a close), or a failure. */
	void onError(Throwable cause);

	/**
	 * The connection has closed, once, last of all: with the code of the close handshake (the client's when it
	 * started it, ours when we did), 1005 when the close frame had no code, 1006 when the connection ended without one.
	 */
	void onClose(int code, String reason);

}
