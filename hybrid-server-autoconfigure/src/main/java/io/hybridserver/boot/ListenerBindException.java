package io.hybridserver.boot;

/**
 * An additional listener could not bind: says which one and where, so that the user knows which setting to change.
 */
final class ListenerBindException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int port;

	ListenerBindException(String name, String endpoint, int port, Throwable cause) {
		super("Listener '" + name + "' cannot listen on " + endpoint + ": " + cause.getMessage(), cause);
		this.port = port;
	}

	/** The TCP port that failed, or -1 for a Unix socket. */
	int port() {
		return this.port;
	}

}
