package io.hybridserver.http;

/**
 * A protocol handler that a connection switched to (see {@link ConnectionUpgrade}) and that knows how to end its
 * connection politely when the server shuts down gracefully: a WebSocket connection sends a close frame with 1001
 * (going away) and waits for the client's, instead of dropping the TCP connection.
 */
public interface GracefulClose {

	/** Runs on the connection's event loop: start closing; the connection closes itself when done. */
	void closeGracefully();

}
