package io.hybridserver.servlet.core;

/**
 * A request the container refuses because of what the client sent: a malformed or unsafe path (400), too many
 * parameters (400), a form body over the limit (413). It extends {@link IllegalStateException} because it surfaces
 * from spec methods such as {@code getParameter} that declare no checked exceptions; the request flow maps it to its
 * status (through the error pages) wherever the application lets it escape.
 */
public final class ClientErrorException extends IllegalStateException {

	private final int status;

	public ClientErrorException(int status, String message) {
		super(message);
		this.status = status;
	}

	/** The HTTP status that answers this error. */
	public int status() {
		return this.status;
	}

	/** The first {@code ClientErrorException} in the cause chain, or {@code null}. */
	public static ClientErrorException find(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof ClientErrorException client) {
				return client;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return null;
	}

}
