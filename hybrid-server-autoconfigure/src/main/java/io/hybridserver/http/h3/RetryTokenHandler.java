package io.hybridserver.http.h3;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;

/**
 * Address validation by Retry (RFC 9000 8.1.2): a client's first Initial gets a Retry with a token instead of a
 * handshake, and only an Initial that returns a valid token from the same address costs the server a connection and a
 * TLS handshake. Spoofed sources never see the Retry, so they cannot make the server work for them.
 *
 * <p>A token is {@code issued-at (8 bytes) | HMAC-SHA256(key, issued-at | address | port | dcid) (32) | dcid}: Netty's
 * {@code InsecureQuicTokenHandler} signs nothing, so anyone could forge one. The key is random, made when the listener
 * starts and never stored, so tokens die with the server; a token older than {@link #LIFETIME_NANOS} is refused.
 */
final class RetryTokenHandler implements QuicTokenHandler {

	/** How long a Retry token is good for: one round trip is all a client needs. */
	static final long LIFETIME_NANOS = TimeUnit.SECONDS.toNanos(10);

	private static final String ALGORITHM = "HmacSHA256";

	private static final int TIME_LENGTH = Long.BYTES;

	private static final int MAC_LENGTH = 32;

	/** RFC 9000 17.2: a connection id has at most 20 bytes. */
	private static final int MAX_CONNECTION_ID_LENGTH = 20;

	private final SecretKeySpec key;

	private final ThreadLocal<Mac> macs;

	private final LongAdder issued = new LongAdder();

	private final LongAdder refused = new LongAdder();

	RetryTokenHandler() {
		byte[] secret = new byte[32];
		new SecureRandom().nextBytes(secret);
		this.key = new SecretKeySpec(secret, ALGORITHM);
		this.macs = ThreadLocal.withInitial(this::newMac);
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is missing from this JVM", ex);
		}
	}

	@Override
	public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
		long issuedAt = System.nanoTime();
		out.writeLong(issuedAt);
		out.writeBytes(mac(issuedAt, address, dcid, dcid.readerIndex(), dcid.readableBytes()));
		out.writeBytes(dcid, dcid.readerIndex(), dcid.readableBytes());
		this.issued.increment();
		return true;
	}

	@Override
	public int validateToken(ByteBuf token, InetSocketAddress address) {
		int start = token.readerIndex();
		int length = token.readableBytes();
		int dcidLength = length - TIME_LENGTH - MAC_LENGTH;
		if (dcidLength < 0 || dcidLength > MAX_CONNECTION_ID_LENGTH) {
			this.refused.increment();
			return -1;
		}
		long issuedAt = token.getLong(start);
		long age = System.nanoTime() - issuedAt;
		if (age < 0 || age > LIFETIME_NANOS) {
			this.refused.increment();
			return -1;
		}
		byte[] sent = new byte[MAC_LENGTH];
		token.getBytes(start + TIME_LENGTH, sent);
		byte[] expected = mac(issuedAt, address, token, start + TIME_LENGTH + MAC_LENGTH, dcidLength);
		if (!MessageDigest.isEqual(sent, expected)) {
			this.refused.increment();
			return -1;
		}
		return TIME_LENGTH + MAC_LENGTH;
	}

	@Override
	public int maxTokenLength() {
		return TIME_LENGTH + MAC_LENGTH + MAX_CONNECTION_ID_LENGTH;
	}

	private byte[] mac(long issuedAt, InetSocketAddress address, ByteBuf buf, int index, int length) {
		Mac mac = this.macs.get();
		for (int shift = 56; shift >= 0; shift -= 8) {
			mac.update((byte) (issuedAt >>> shift));
		}
		mac.update(address.getAddress().getAddress());
		mac.update((byte) (address.getPort() >>> 8));
		mac.update((byte) address.getPort());
		byte[] dcid = new byte[length];
		buf.getBytes(index, dcid);
		mac.update(dcid);
		return mac.doFinal();
	}

	/** Retry tokens sent: how many Initials were asked to prove their address. */
	long issued() {
		return this.issued.sum();
	}

	/** Tokens refused: forged, expired, or from another address. */
	long refused() {
		return this.refused.sum();
	}

}
