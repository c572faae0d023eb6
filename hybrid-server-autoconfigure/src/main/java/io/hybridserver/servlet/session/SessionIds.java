package io.hybridserver.servlet.session;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Session ids: 128 bits from a {@link SecureRandom}, as 32 upper-case hex characters. The JDK's default
 * {@code SecureRandom} on Linux ({@code NativePRNG}) serialises every caller of the process on one lock and mixes in a
 * read of {@code /dev/urandom}; a client that keeps no cookies gets a new session per request, so that lock would sit
 * on the request path. Ids come instead from a few {@code DRBG} generators, each seeded from the system's entropy
 * once, created on first use and picked at random per call (as Tomcat keeps a queue of generators).
 */
final class SessionIds {

	private static final HexFormat HEX = HexFormat.of().withUpperCase();

	private final AtomicReferenceArray<SecureRandom> generators;

	SessionIds() {
		this(Math.max(2, Math.min(64, 2 * Runtime.getRuntime().availableProcessors())));
	}

	SessionIds(int generators) {
		this.generators = new AtomicReferenceArray<>(generators);
	}

	String next() {
		int index = ThreadLocalRandom.current().nextInt(this.generators.length());
		SecureRandom generator = this.generators.get(index);
		if (generator == null) {
			SecureRandom created = create();
			generator = this.generators.compareAndSet(index, null, created) ? created : this.generators.get(index);
		}
		byte[] bytes = new byte[16];
		generator.nextBytes(bytes);
		return HEX.formatHex(bytes);
	}

	private static SecureRandom create() {
		try {
			return SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

}
