package io.hybridserver.transport;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;

/**
 * The names under which a PROXY v2 header's TLVs (RFC-like "type-length-value" fields of the HAProxy specification,
 * section 2.2) become request attributes. Values are copied out of the header, which is released at once.
 */
public final class ProxyHeaderAttributes {

	/** {@code PP2_TYPE_AUTHORITY}: the host name the client asked for (TLS SNI, typically), a String. */
	public static final String AUTHORITY = "io.hybridserver.proxy.authority";

	/** {@code PP2_TYPE_ALPN}: the application protocol the client negotiated with the proxy, a String. */
	public static final String ALPN = "io.hybridserver.proxy.alpn";

	/** {@code PP2_TYPE_UNIQUE_ID}: the proxy's identifier of the connection, a String. */
	public static final String UNIQUE_ID = "io.hybridserver.proxy.unique-id";

	/** Whether the client reached the proxy over TLS ({@code PP2_CLIENT_SSL} of {@code PP2_TYPE_SSL}), a Boolean. */
	public static final String SSL = "io.hybridserver.proxy.ssl";

	/** {@code PP2_SUBTYPE_SSL_VERSION}: the TLS version between client and proxy, a String. */
	public static final String SSL_VERSION = "io.hybridserver.proxy.ssl.version";

	/** {@code PP2_SUBTYPE_SSL_CN}: the common name of the client's certificate, a String. */
	public static final String SSL_CLIENT_CN = "io.hybridserver.proxy.ssl.client-cn";

	/** {@code PP2_SUBTYPE_SSL_CIPHER}: the cipher suite between client and proxy, a String. */
	public static final String SSL_CIPHER = "io.hybridserver.proxy.ssl.cipher";

	/** Whether the client's certificate was verified ({@code verify} field equal to 0), a Boolean. */
	public static final String SSL_CLIENT_VERIFIED = "io.hybridserver.proxy.ssl.client-verified";

	/** Every TLV, by its type byte (0-255), as raw bytes: a {@code Map<Integer, byte[]>}, for types not named here. */
	public static final String TLVS = "io.hybridserver.proxy.tlvs";

	private static final int PP2_TYPE_UNIQUE_ID = 0x05;

	private static final int PP2_SUBTYPE_SSL_CIPHER = 0x23;

	private ProxyHeaderAttributes() {
	}

	/** The attributes of one header; empty for v1 headers and v2 headers without TLVs. */
	static Map<String, Object> of(HAProxyMessage message) {
		List<HAProxyTLV> tlvs = message.tlvs();
		if (tlvs.isEmpty()) {
			return Map.of();
		}
		Map<String, Object> attributes = new LinkedHashMap<>();
		Map<Integer, byte[]> raw = new LinkedHashMap<>();
		for (HAProxyTLV tlv : tlvs) {
			raw.put(tlv.typeByteValue() & 0xff, ByteBufUtil.getBytes(tlv.content()));
			switch (tlv.type()) {
				case PP2_TYPE_AUTHORITY -> attributes.put(AUTHORITY, text(tlv));
				case PP2_TYPE_ALPN -> attributes.put(ALPN, text(tlv));
				case PP2_TYPE_SSL -> ssl((HAProxySSLTLV) tlv, attributes);
				default -> {
					if ((tlv.typeByteValue() & 0xff) == PP2_TYPE_UNIQUE_ID) {
						attributes.put(UNIQUE_ID, text(tlv));
					}
				}
			}
		}
		attributes.put(TLVS, Map.copyOf(raw));
		return attributes;
	}

	private static void ssl(HAProxySSLTLV ssl, Map<String, Object> attributes) {
		attributes.put(SSL, ssl.isPP2ClientSSL());
		if (ssl.isPP2ClientSSL()) {
			attributes.put(SSL_CLIENT_VERIFIED, ssl.verify() == 0);
		}
		for (HAProxyTLV sub : ssl.encapsulatedTLVs()) {
			switch (sub.type()) {
				case PP2_TYPE_SSL_VERSION -> attributes.put(SSL_VERSION, text(sub));
				case PP2_TYPE_SSL_CN -> attributes.put(SSL_CLIENT_CN, text(sub));
				default -> {
					if ((sub.typeByteValue() & 0xff) == PP2_SUBTYPE_SSL_CIPHER) {
						attributes.put(SSL_CIPHER, text(sub));
					}
				}
			}
		}
	}

	private static String text(HAProxyTLV tlv) {
		return tlv.content().toString(StandardCharsets.UTF_8);
	}

}
