package io.hybridserver.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server's certificate as a PEM SSL bundle ({@code web}) read from files in a test's directory and reloaded when
 * they change ({@code reload-on-update}, with a short quiet period): it starts as the test CA's server certificate
 * ({@link TestTls#SERVER_SERIAL}), and {@link #renew()} rewrites the files with the renewed one
 * ({@link TestTls#RENEWED_SERIAL}), as a certificate tool would.
 */
public final class ReloadablePemBundle {

	private final Path dir;

	/** Writes the server certificate and its key into {@code dir}. */
	public ReloadablePemBundle(Path dir) throws IOException {
		this.dir = dir;
		write("server");
	}

	/** The properties that declare the bundle, watch its files and make it the server's. */
	public String[] properties() {
		return new String[] { "spring.ssl.bundle.pem.web.keystore.certificate=file:" + this.dir.resolve("cert.pem"),
				"spring.ssl.bundle.pem.web.keystore.private-key=file:" + this.dir.resolve("key.pem"),
				"spring.ssl.bundle.pem.web.reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=100ms",
				"server.ssl.bundle=web" };
	}

	/** Rewrites the files with the renewed certificate and its key. */
	public void renew() throws IOException {
		write("server-renewed");
	}

	/**
	 * Waits, 30 s at most, until the serial of the certificate a new connection gets ({@code newConnectionSerial}
	 * connects anew each time it is asked) is the renewed one's.
	 */
	public static void awaitRenewed(Callable<Long> newConnectionSerial) {
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(newConnectionSerial.call()).isEqualTo(TestTls.RENEWED_SERIAL));
	}

	private void write(String name) throws IOException {
		// The key first: the watcher's quiet period then sees the certificate arrive with its key in place.
		copy("tls/" + name + ".key", this.dir.resolve("key.pem"));
		copy("tls/" + name + ".pem", this.dir.resolve("cert.pem"));
	}

	private static void copy(String resource, Path target) throws IOException {
		try (InputStream in = new ClassPathResource(resource).getInputStream()) {
			Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
