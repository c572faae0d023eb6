package io.hybridserver.tls;

/**
 * TLS settings that cannot work: a missing key store, a wrong key alias, no usable cipher suite, an unavailable
 * provider. The message says what is wrong; {@link #property()} names the property to change.
 */
public class InvalidTlsConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String property;

	public InvalidTlsConfigurationException(String property, String message, Throwable cause) {
		super(message, cause);
		this.property = property;
	}

	/** The property (or property prefix) to change, for example {@code server.ssl.key-alias}. */
	public String property() {
		return this.property;
	}

}
