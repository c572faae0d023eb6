package io.hybridserver.http.h3;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most so many QUIC connections from one client address ({@code server.hybrid.max-connections-per-address}, counted
 * apart from TCP's). Addresses are validated by Retry first, so a spoofed source cannot fill another's share.
 */
final class QuicAddressLimit {

	private final int max;

	private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

	/** @param max connections per address; 0 or less for no limit */
	QuicAddressLimit(int max) {
		this.max = max;
	}

	/** Takes a place for a new connection from {@code address}; {@code false} when it has its share already. */
	boolean tryAcquire(InetAddress address) {
		if (this.max <= 0) {
			return true;
		}
		boolean[] taken = new boolean[1];
		this.open.compute(address, (key, count) -> {
			int now = (count != null) ? count : 0;
			if (now >= this.max) {
				return count;
			}
			taken[0] = true;
			return now + 1;
		});
		return taken[0];
	}

	/** Gives back a place taken by {@link #tryAcquire}. */
	void release(InetAddress address) {
		if (this.max > 0) {
			this.open.computeIfPresent(address, (key, count) -> (count > 1) ? count - 1 : null);
		}
	}

}
