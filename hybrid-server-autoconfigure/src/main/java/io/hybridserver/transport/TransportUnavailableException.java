package io.hybridserver.transport;

import java.util.Locale;

/**
 * Thrown at startup when the configured transport cannot run on this machine. The cause is the native library's own
 * reason (missing classifier jar, kernel too old, wrong OS), so the message can tell the user what to change.
 */
public class TransportUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final TransportKind requested;

	public TransportUnavailableException(TransportKind requested, Throwable cause) {
		super("Transport " + propertyValue(requested) + " is not available on this machine ("
				+ System.getProperty("os.name") + " " + System.getProperty("os.arch") + "): "
				+ reason(requested, cause, System.getProperty("os.name", "")), cause);
		this.requested = requested;
	}

	/** The transport that was asked for. */
	public TransportKind getRequested() {
		return this.requested;
	}

	/** The value of {@code server.hybrid.transport} that names the transport ({@code io-uring}, not {@code IO_URING}). */
	static String propertyValue(TransportKind kind) {
		return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Why, in words: a transport of another operating system says so (its native cause has often no message at all,
	 * which printed as "null"); otherwise the first message in the cause chain, else the cause's type.
	 */
	static String reason(TransportKind kind, Throwable cause, String osName) {
		String os = osName.toLowerCase(Locale.ROOT);
		boolean linux = os.contains("linux");
		boolean bsd = os.contains("mac") || os.contains("darwin") || os.contains("bsd");
		if ((kind == TransportKind.EPOLL || kind == TransportKind.IO_URING) && !linux) {
			return propertyValue(kind) + " runs only on Linux";
		}
		if (kind == TransportKind.KQUEUE && !bsd) {
			return "kqueue runs only on macOS and BSD";
		}
		for (Throwable t = cause; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t.getMessage() != null && !t.getMessage().isBlank()) {
				return t.getMessage();
			}
		}
		return (cause != null) ? cause.getClass().getName() + " (no message)" : "unknown reason";
	}

}
