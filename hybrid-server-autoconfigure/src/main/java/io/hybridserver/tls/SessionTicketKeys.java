package io.hybridserver.tls;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;

/**
 * The keys that encrypt BoringSSL's session tickets for one server port, replaced on a schedule by a thread of their
 * own.
 *
 * <p>Two keys are live: the newest encrypts new tickets, the one before it still decrypts tickets issued in the
 * previous period (a client presenting one gets a fresh ticket). So a ticket stays usable for at least one period, and
 * a key is destroyed at most two periods after it began to encrypt: whoever steals the process's memory later cannot
 * decrypt older tickets, and so cannot read older sessions. BoringSSL's own keys, which we replace, rotate every two
 * days.
 *
 * <p>New keys come from {@link SecureRandom} on the rotation thread, never on an event loop; handing them to the native
 * contexts takes each context's write lock for a moment, which new connections (not handshakes under way) wait for.
 */
final class SessionTicketKeys {

	private static final Log logger = LogFactory.getLog(SessionTicketKeys.class);

	private final SecureRandom random = new SecureRandom();

	private final long rotationNanos;

	/** The encrypting key first, then the previous one; replaced whole. */
	private volatile OpenSslSessionTicketKey[] keys;

	private ScheduledExecutorService scheduler;

	SessionTicketKeys(Duration rotation) {
		this.rotationNanos = rotation.toNanos();
		this.keys = new OpenSslSessionTicketKey[] { newKey() };
	}

	/** Makes {@code context}'s tickets use the current keys; contexts of the JDK's engine keep their own. */
	void applyTo(SslContext context) {
		if (context.sessionContext() instanceof OpenSslSessionContext sessions) {
			sessions.setTicketKeys(this.keys);
		}
	}

	/** A new encrypting key; the current one is kept for decrypting, the one before it is dropped. */
	void rotate() {
		this.keys = new OpenSslSessionTicketKey[] { newKey(), this.keys[0] };
	}

	/** Calls {@code rotation} every period, on a daemon thread of its own, until {@link #stop()}. */
	synchronized void start(Runnable rotation) {
		if (this.scheduler != null) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "hybrid-tls-ticket-keys");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleAtFixedRate(() -> {
			try {
				rotation.run();
			}
			catch (RuntimeException ex) {
				// Tickets keep working with the previous keys; the next period tries again.
				logger.error("Rotating the TLS session ticket keys failed", ex);
			}
		}, this.rotationNanos, this.rotationNanos, TimeUnit.NANOSECONDS);
	}

	synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	private OpenSslSessionTicketKey newKey() {
		byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
		byte[] hmacKey = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
		byte[] aesKey = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
		this.random.nextBytes(name);
		this.random.nextBytes(hmacKey);
		this.random.nextBytes(aesKey);
		return new OpenSslSessionTicketKey(name, hmacKey, aesKey);
	}

}
