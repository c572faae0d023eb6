package io.hybridserver.servlet.session;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Session ids: 128 bits from a {@link SecureRandom}, as 32 upper-case hex characters. The JDK's default
 * {@code SecureRandom} on Linux ({@code NativePRNG}) serialises every caller of the process on one lock and mixes in a
 * read of {@code /dev/urandom}; a client that keeps no cookies gets a new session per request, so that lock would sit
 * on the request path. Ids come instead from a few {@code DRBG} generators, each seeded from the system's entropy
 * once, created on first use and picked at random per call (as Tomcat keeps a queue of generators).
 *
 * <p>Each generator is asked for {@link #BATCH_BYTES} at a time and the ids are cut from that batch. A
 * {@code Hash_DRBG} request costs a state update (a SHA-256 and a 440-bit addition) on top of a SHA-256 per 32 bytes
 * it returns, so asking for 16 bytes per id paid two digests and the update for every new session: on a form post
 * that answers with a new session (a flash attribute for a client without a cookie) that was the largest part of the
 * server's own work in the request (issue 22, docs/benchmarks.md). The bytes are as random either way; each id's bytes
 * are zeroed in the batch once handed out.
 */
final class SessionIds {

	/** Random bytes drawn from a generator at once: 32 ids. */
	static final int BATCH_BYTES = 512;

	private static final int ID_BYTES = 16;

	private static final HexFormat HEX = HexFormat.of().withUpperCase();

	private final AtomicReferenceArray<Batch> generators;

	private final Supplier<SecureRandom> factory;

	SessionIds() {
		this(Math.max(2, Math.min(64, 2 * Runtime.getRuntime().availableProcessors())));
	}

	SessionIds(int generators) {
		this(generators, SessionIds::create);
	}

	/** @param factory makes each generator, on first use of its slot */
	SessionIds(int generators, Supplier<SecureRandom> factory) {
		this.generators = new AtomicReferenceArray<>(generators);
		this.factory = factory;
	}

	String next() {
		int index = ThreadLocalRandom.current().nextInt(this.generators.length());
		Batch batch = this.generators.get(index);
		if (batch == null) {
			Batch created = new Batch(this.factory.get());
			batch = this.generators.compareAndSet(index, null, created) ? created : this.generators.get(index);
		}
		return batch.nextId();
	}

	private static SecureRandom create() {
		try {
			return SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

	/**
	 * One generator and the unused rest of its last batch. A lock rather than {@code synchronized}: a virtual thread
	 * waiting here does not pin its carrier (Java 21 to 23).
	 */
	private static final class Batch {

		private final SecureRandom generator;

		private final ReentrantLock lock = new ReentrantLock();

		private final byte[] bytes = new byte[BATCH_BYTES];

		private int used = BATCH_BYTES;

		Batch(SecureRandom generator) {
			this.generator = generator;
		}

		String nextId() {
			this.lock.lock();
			try {
				if (this.used == this.bytes.length) {
					this.generator.nextBytes(this.bytes);
					this.used = 0;
				}
				int from = this.used;
				this.used += ID_BYTES;
				String id = HEX.formatHex(this.bytes, from, this.used);
				// A handed-out id leaves no copy of its bytes behind in the batch.
				Arrays.fill(this.bytes, from, this.used, (byte) 0);
				return id;
			}
			finally {
				this.lock.unlock();
			}
		}

	}

}
