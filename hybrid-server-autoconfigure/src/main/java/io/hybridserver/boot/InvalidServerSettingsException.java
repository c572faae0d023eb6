package io.hybridserver.boot;

/**
 * Settings that cannot work together or at all. The message names the property and what to change; a failure analyzer
 * shows it at startup instead of a stack trace.
 */
public class InvalidServerSettingsException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	public InvalidServerSettingsException(String message) {
		super(message);
	}

	public InvalidServerSettingsException(String message, Throwable cause) {
		super(message, cause);
	}

}
