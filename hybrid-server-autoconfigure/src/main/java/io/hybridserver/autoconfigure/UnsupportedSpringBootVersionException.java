package io.hybridserver.autoconfigure;

/**
 * The application runs on a Spring Boot line the starter does not support; {@link HybridServerFailureAnalyzer} turns
 * it into Boot's failure report.
 */
public class UnsupportedSpringBootVersionException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String bootVersion;

	/** @param bootVersion the running Boot's version, {@code null} when its jar does not say */
	public UnsupportedSpringBootVersionException(String bootVersion) {
		super("hybrid-server supports " + SpringBootVersionCheck.SUPPORTED + "; this application runs on Spring Boot "
				+ ((bootVersion != null) ? bootVersion : "3.x or older (its jar does not say which)")
				+ ", whose web server SPI it cannot plug into");
		this.bootVersion = bootVersion;
	}

	/** The running Boot's version, or {@code null} when unknown. */
	public String getBootVersion() {
		return this.bootVersion;
	}

}
