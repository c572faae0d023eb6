package io.hybridserver.http;

/**
 * A protocol handler that a connection switched to (see {@link ConnectionUpgrade}) and that knows how to end its
 * connection politely when the server shuts down gracefully: a WebSocket connection sends a close frame with 1001
 * (going away) and waits for the client's, instead of dropping the TCP connection. When the server stops at once
 * (no graceful shutdown, or its time is up) it still says goodbye, without waiting for an answer.
 */
public interface GracefulClose {

	/** Runs on the connection's event loop: start closing; the connection closes itself when done. */
	void closeGracefully();

	/**
	 * Runs on the connection's event loop just before the server closes the channel without waiting: write and flush
	 * a last word (a WebSocket close frame with 1001) if nothing like it was sent yet. Best effort: the channel is
	 * closed next whether or not the client took it.
	 */
	default void closeNow() {
	}

}
