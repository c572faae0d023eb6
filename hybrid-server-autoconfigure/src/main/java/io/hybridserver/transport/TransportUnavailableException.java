package io.hybridserver.transport;

/**
 * Thrown at startup when the configured transport cannot run on this machine. The cause is the native library's own
 * reason (missing classifier jar, kernel too old, wrong OS), so the message can tell the user what to change.
 */
public class TransportUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final TransportKind requested;

	public TransportUnavailableException(TransportKind requested, Throwable cause) {
		super("Transport " + requested.name().toLowerCase().replace('_', '-') + " is not available on this machine ("
				+ System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): "
				+ (cause != null ? cause.getMessage() : "unknown reason"), cause);
		this.requested = requested;
	}

	/** The transport that was asked for. */
	public TransportKind getRequested() {
		return this.requested;
	}

}
