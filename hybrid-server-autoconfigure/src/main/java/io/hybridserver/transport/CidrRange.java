package io.hybridserver.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare address is a block of
 * one. IPv4 addresses mapped into IPv6 ({@code ::ffff:10.0.0.1}) match the IPv4 blocks, as a dual-stack socket reports
 * IPv4 peers that way.
 */
public final class CidrRange {

	private final String text;

	private final byte[] network;

	private final int prefixLength;

	private CidrRange(String text, byte[] network, int prefixLength) {
		this.text = text;
		this.network = network;
		this.prefixLength = prefixLength;
	}

	/**
	 * Parses a block. Only literal addresses are accepted: a host name would need a DNS lookup at startup and would
	 * silently trust whatever the name later resolves to.
	 * @throws IllegalArgumentException if the text is not a literal address with an optional {@code /prefix}
	 */
	public static CidrRange parse(String text) {
		String trimmed = text.trim();
		int slash = trimmed.indexOf('/');
		String host = (slash >= 0) ? trimmed.substring(0, slash) : trimmed;
		if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.chars().allMatch((c) -> c == '.' || Character.isDigit(c)))) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address block such as 10.0.0.0/8 or fd00::/8");
		}
		byte[] address;
		try {
			address = normalize(InetAddress.getByName(host).getAddress());
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("'" + text + "' is not an IP address block such as 10.0.0.0/8", ex);
		}
		int bits = address.length * 8;
		int prefix = bits;
		if (slash >= 0) {
			try {
				prefix = Integer.parseInt(trimmed.substring(slash + 1));
			}
			catch (NumberFormatException ex) {
				prefix = -1;
			}
			if (prefix < 0 || prefix > bits) {
				throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-" + bits);
			}
		}
		return new CidrRange(trimmed, mask(address, prefix), prefix);
	}

	/** Whether the address lies in this block. */
	public boolean contains(InetAddress address) {
		if (address == null) {
			return false;
		}
		byte[] candidate = normalize(address.getAddress());
		return candidate.length == this.network.length
				&& Arrays.equals(mask(candidate, this.prefixLength), this.network);
	}

	/** An IPv4-mapped IPv6 address as its IPv4 address; any other unchanged. */
	private static byte[] normalize(byte[] address) {
		if (address.length == 16) {
			boolean mapped = address[10] == (byte) 0xff && address[11] == (byte) 0xff;
			for (int i = 0; i < 10 && mapped; i++) {
				mapped = address[i] == 0;
			}
			if (mapped) {
				return Arrays.copyOfRange(address, 12, 16);
			}
		}
		return address;
	}

	private static byte[] mask(byte[] address, int prefix) {
		byte[] masked = address.clone();
		for (int i = 0; i < masked.length; i++) {
			int keep = Math.max(0, Math.min(8, prefix - i * 8));
			masked[i] = (byte) (masked[i] & (0xff << (8 - keep)));
		}
		return masked;
	}

	@Override
	public String toString() {
		return this.text;
	}

}
